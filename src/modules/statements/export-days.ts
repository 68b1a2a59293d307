// Calendar days in a time zone for /export: `2026-11-20` → the instant it began, checked to be a real date.
import { localParts } from '../../shared/local-time.ts';
import { startOfLocalDay } from '../reports/report-figures.ts';

export interface LocalDay {
  start: Date;
  /** Days since 1970-01-01 of the calendar date, to count a period's days whatever the offsets. */
  dayNumber: number;
}

const DAY_MS = 86_400_000;

export function parseLocalDay(text: string, timeZone: string): LocalDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utcDate = Date.UTC(year, month - 1, day);
  const check = new Date(utcDate);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    return null;
  // Noon UTC of the date may fall on a neighbouring local day far from UTC: step back onto the date.
  let probe = utcDate + DAY_MS / 2;
  const local = localParts(new Date(probe), timeZone);
  probe -= Date.UTC(local.year, local.month - 1, local.day) - utcDate;
  return { start: startOfLocalDay(new Date(probe), timeZone), dayNumber: utcDate / DAY_MS };
}

/** The instant the day after `day` began (a day is not always 24 hours long). */
export function dayAfter(day: LocalDay, timeZone: string): Date {
  return startOfLocalDay(new Date(day.start.getTime() + DAY_MS + DAY_MS / 2), timeZone);
}
