// Money is integer fen. Yuan text is parsed digit by digit and printed with exactly two decimals.
import { type Failure, fail } from './result.ts';

export type ParsedYuan = { ok: true; fen: number } | Failure<'amount.invalid'>;

/** The largest amount an amount column holds (int4 fen): ¥21474836.47. Larger amounts are refused where they enter. */
export const MAX_STORED_FEN = 2_147_483_647;

/**
 * Who wrote the amount: `typed` by a person (`10`, `10.5`, `¥10`, `￥10`, `10元`), or `printed` by a
 * provider's notification, which may group thousands (`1,160.00`) but never pads with zeros (`007` is a
 * misread) nor exceeds what the amount columns hold (so it is recorded and reported, never a database error).
 */
type YuanSource = 'typed' | 'printed';

const YUAN_TEXT = /^(?:¥|RMB|CNY)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(?:元|RMB|CNY)?$/i;
/** Twelve digits of yuan and two of fen stay a safe integer. */
const MAX_WHOLE_DIGITS = 12;

/** What a person types. */
export function parseYuanToFen(input: string): ParsedYuan {
  return parseYuan(input, 'typed');
}

/** What a provider's notification prints. */
export function parsePrintedYuanToFen(input: string): ParsedYuan {
  return parseYuan(input, 'printed');
}

/** One grammar for both: full-width digits too; no sign, no exponent, at most two decimals. */
function parseYuan(input: string, source: YuanSource): ParsedYuan {
  const match = YUAN_TEXT.exec(input.normalize('NFKC').trim());
  if (!match) return fail('amount.invalid');
  const [, grouped = '', decimals = ''] = match;
  const whole = grouped.replace(/,/g, '');
  if (whole.length > MAX_WHOLE_DIGITS) return fail('amount.invalid');
  if (source === 'typed' && whole !== grouped) return fail('amount.invalid');
  if (source === 'printed' && whole.length > 1 && whole.startsWith('0')) return fail('amount.invalid');
  let fen = 0;
  for (const digit of whole + decimals.padEnd(2, '0')) fen = fen * 10 + (digit.charCodeAt(0) - 48);
  if (source === 'printed' && fen > MAX_STORED_FEN) return fail('amount.invalid');
  return { ok: true, fen };
}

/** An admin's adjustment: `+10`, `-5.5`, `¥3` → signed fen; null when not an amount or zero. */
export function parseSignedYuanToFen(input: string): number | null {
  const match = /^([+-]?)(.+)$/.exec(input.normalize('NFKC').trim());
  if (!match) return null;
  const parsed = parseYuanToFen(match[2] ?? '');
  if (!parsed.ok || parsed.fen === 0) return null;
  return match[1] === '-' ? -parsed.fen : parsed.fen;
}

/** `1050` → `10.50`; negative amounts keep their sign. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** `1050` → `¥10.50`. */
export function formatYuan(fen: number): string {
  return fen < 0 ? `-¥${formatFen(-fen)}` : `¥${formatFen(fen)}`;
}
