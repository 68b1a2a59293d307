// Use case: /stats — today (in TZ) and the last 7 days.
import type { Db } from '../../shared/db/database.ts';
import { createStore } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import type { PeriodFigures } from '../notify/admin-texts.ts';
import { startOfLocalDay } from './report-figures.ts';

export function createGetStats(deps: { db: Db; clock: Clock; timeZone: string }) {
  const store = createStore(deps.db);
  return async function getStats(): Promise<{ today: PeriodFigures; week: PeriodFigures }> {
    const now = deps.clock.now();
    const end = new Date(now.getTime() + 1);
    const today = await store.reports.period(startOfLocalDay(now, deps.timeZone), end);
    const week = await store.reports.period(new Date(now.getTime() - 7 * 86_400_000), end);
    return { today, week };
  };
}

export type GetStats = ReturnType<typeof createGetStats>;
