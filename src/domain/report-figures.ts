// Small pure helpers for reports: the start of the local day, and signed yuan amounts typed by admins.
import { parseYuanToFen } from './money.ts';

/** The instant the calendar day containing `at` began in `timeZone`. */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const midnightAsUtc = Date.UTC(part('year'), part('month') - 1, part('day'));
  // The zone's offset at that midnight (two passes settle a DST change on the day).
  let guess = midnightAsUtc;
  for (let pass = 0; pass < 2; pass++) guess = midnightAsUtc - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(at.getTime() / 1000) * 1000;
}

/** `+10`, `-5.5`, `¥3` → signed fen; null when not an amount or zero. */
export function parseSignedYuan(text: string): number | null {
  const match = /^([+-]?)(.+)$/.exec(text.normalize('NFKC').trim());
  if (!match) return null;
  const parsed = parseYuanToFen(match[2] ?? '');
  if (!parsed.ok || parsed.fen === 0) return null;
  return match[1] === '-' ? -parsed.fen : parsed.fen;
}
