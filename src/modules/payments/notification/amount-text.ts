// Yuan amounts as notifications print them, read straight into integer fen without floating point.
import { MAX_STORED_FEN } from '../../../shared/money.ts';

const AMOUNT = /^(?:¥|RMB|CNY)? *(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))? *(?:元|RMB|CNY)?$/i;
const MAX_WHOLE_DIGITS = 12;

/**
 * `1,160.00` → 116000, `¥0.01` → 1, `15` → 1500, `10.5元` → 1050, full-width digits too.
 * Null for anything else: empty, signs, more than two decimals, misplaced thousands separators,
 * leading zeros (`007`), or more than the amount columns hold (¥21474836.47): such a notification is
 * then not a valid amount — recorded and reported, never a database error that stalls the mailbox.
 */
export function yuanTextToFen(text: string): number | null {
  const match = AMOUNT.exec(text.normalize('NFKC').trim());
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/,/g, '');
  const decimals = match[2] ?? '';
  if (whole.length > 1 && whole.startsWith('0')) return null;
  if (whole.length > MAX_WHOLE_DIGITS) return null;
  let fen = 0;
  for (const digit of whole + decimals.padEnd(2, '0')) fen = fen * 10 + (digit.charCodeAt(0) - 48);
  return fen <= MAX_STORED_FEN ? fen : null;
}
