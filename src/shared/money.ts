// Money is integer fen. Yuan text is parsed digit by digit and printed with exactly two decimals.
import { type Failure, fail } from './result.ts';

export type ParsedYuan = { ok: true; fen: number } | Failure<'amount.invalid'>;

/** The largest amount an amount column holds (int4 fen): ¥21474836.47. Larger amounts are refused where they enter. */
export const MAX_STORED_FEN = 2_147_483_647;

const YUAN_TEXT = /^(\d{1,9})(?:\.(\d{1,2}))?$/;

/** Parses what a customer types: `10`, `10.5`, `10.50`, `¥10`, `￥10`, `10元`. No sign, no exponent, ≤ 2 decimals. */
export function parseYuanToFen(input: string): ParsedYuan {
  const text = input
    .normalize('NFKC')
    .trim()
    .replace(/^[¥]\s*/, '')
    .replace(/\s*(元|CNY|RMB)$/i, '');
  const match = YUAN_TEXT.exec(text);
  if (!match) return fail('amount.invalid');
  const [, whole = '0', decimals = ''] = match;
  return { ok: true, fen: Number(whole) * 100 + Number(decimals.padEnd(2, '0')) };
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
