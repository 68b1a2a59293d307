// Small pure helpers for reports: the start of the local day.
import { localParts } from '../../shared/local-time.ts';

/** The instant the calendar day containing `at` began in `timeZone`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const today = localParts(at, timeZone);
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day);
  // The zone's offset at that midnight (two passes settle a DST change on the day).
  let guess = midnightAsUtc;
  for (let pass = 0; pass < 2; pass++) guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const t = localParts(at, timeZone);
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}
