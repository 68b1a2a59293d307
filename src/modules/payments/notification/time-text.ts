// Local date-time text from a notification (`2026-11-20 12:01:10`, `2026年11月20日 12:01`) → ISO 8601 with offset.

const DATE_TIME = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]*(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
const OFFSET = /^[+-](?:0\d|1[0-4]):[0-5]\d$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** `('2026-11-20 20:44', '+08:00')` → `'2026-11-20T20:44:00+08:00'`; null when not a real date-time. */
export function localDateTimeToIso(text: string, offset: string): string | null {
  const match = DATE_TIME.exec(text.trim());
  if (!match || !OFFSET.test(offset)) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? '0')) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset}`;
}

export function isUtcOffset(text: string): boolean {
  return OFFSET.test(text);
}
