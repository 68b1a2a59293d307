// Pieces both statement catalogues use: totals, and lists cut to what one Telegram message holds.
import { escapeHtml } from '../../shared/html.ts';
import { formatYuan } from '../../shared/money.ts';
import type { RecordedPayment } from '../statements/reconcile.ts';
import type { StatementRow } from '../statements/statement.models.ts';
import { formatLocalSeconds } from './customer-texts.ts';

/** Lists in a reply stop here: Telegram messages are at most 4096 characters. */
export const LISTED_AT_MOST = 15;

export const sumFen = (amounts: readonly { amountFen: number }[]) =>
  amounts.reduce((sum, a) => sum + a.amountFen, 0);

/** Up to LISTED_AT_MOST lines of `items`, then how many more there are. */
export function listed<T>(
  items: readonly T[],
  line: (item: T) => string,
  more: (n: number) => string,
): string {
  const lines = items.slice(0, LISTED_AT_MOST).map(line);
  if (items.length > LISTED_AT_MOST) lines.push(more(items.length - LISTED_AT_MOST));
  return lines.join('\n');
}

export const rowLine = (row: StatementRow, timeZone: string) =>
  `• ${formatLocalSeconds(new Date(row.time), timeZone)} ${formatYuan(row.amountFen)} ${escapeHtml((row.payer ?? '').slice(0, 40))}`;
export const paymentLine = (p: RecordedPayment, timeZone: string) =>
  `• #${p.id} ${formatLocalSeconds(p.paidAt, timeZone)} ${formatYuan(p.amountFen)}`;
