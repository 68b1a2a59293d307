// Use case: the health report's chart of the last 7 local days (today so far included), figures and PNG.
import type { Db } from '../../shared/db/database.ts';
import { localParts } from '../../shared/local-time.ts';
import type { Clock } from '../../shared/ports.ts';
import { createChartFiguresRepository } from './chart-figures.repository.ts';
import { type DayFigures, renderHealthChart } from './health-chart.ts';
import { startOfLocalDay } from './report-figures.ts';

export const CHART_DAYS = 7;
const HALF_DAY_MS = 43_200_000;

export function createWeekChart(deps: { db: Db; clock: Clock; timeZone: string }) {
  const figures = createChartFiguresRepository({ db: deps.db });
  const label = (at: Date) => {
    const p = localParts(at, deps.timeZone);
    return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
  };
  return async function weekChart(): Promise<{ days: DayFigures[]; png: Buffer }> {
    const now = deps.clock.now();
    let end = new Date(now.getTime() + 1);
    let start = startOfLocalDay(now, deps.timeZone);
    const days: DayFigures[] = [];
    for (let i = 0; i < CHART_DAYS; i++) {
      days.unshift({ day: label(start), ...(await figures.day(start, end)) });
      end = start;
      start = startOfLocalDay(new Date(start.getTime() - HALF_DAY_MS), deps.timeZone);
    }
    return { days, png: await renderHealthChart(days) };
  };
}

export type WeekChart = ReturnType<typeof createWeekChart>;
