// Use case: /stats — today (in TZ) and the last 7 days.
import type { Db } from '../adapters/db/database.ts';
import { createStore } from '../adapters/db/store.ts';
import type { PeriodFigures } from '../domain/admin-texts.ts';
import { startOfLocalDay } from '../domain/report-figures.ts';
import type { Clock } from './ports.ts';

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
