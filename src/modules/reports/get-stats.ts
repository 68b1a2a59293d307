// Use case: /stats — today (in TZ) and the last 7 days.
import type { Clock } from '../../shared/ports.ts';
import type { PeriodFigures } from '../notify/admin-texts.ts';
import { startOfLocalDay } from './report-figures.ts';
import type { ReportsRepository } from './reports.repository.ts';

export function createGetStats(deps: { reports: ReportsRepository; clock: Clock; timeZone: string }) {
  return async function getStats(): Promise<{ today: PeriodFigures; week: PeriodFigures }> {
    const now = deps.clock.now();
    const end = new Date(now.getTime() + 1);
    const today = await deps.reports.period(startOfLocalDay(now, deps.timeZone), end);
    const week = await deps.reports.period(new Date(now.getTime() - 7 * 86_400_000), end);
    return { today, week };
  };
}

export type GetStats = ReturnType<typeof createGetStats>;
