// Reconciling a statement with what the monitor recorded (pure): each incoming, successful transaction is
// matched to one recorded payment — by transaction id where both have one, else by amount and a time within
// two minutes — and the credits the statement does not show are listed.
import type { StatementRow } from './statement.models.ts';

/** A payment the monitor recorded for the statement's provider around its period. */
export interface RecordedPayment {
  id: number;
  amountFen: number;
  transactionId: string | null;
  /** When it was paid (the notification's time, else its arrival). */
  paidAt: Date;
  /** 'statement' for a transaction a statement sent earlier recorded as missed. */
  source: string;
  /** Credited by the monitor on its own (no admin decided it). */
  autoCredited: boolean;
}

export interface Reconciliation {
  matched: Array<{ row: StatementRow; paymentId: number }>;
  /** In the statement, never seen by the monitor; `recordedAs` is set when an earlier statement recorded it. */
  missed: Array<{ row: StatementRow; recordedAs: number | null }>;
  /** Credited automatically inside the period, absent from the statement: possibly forged. */
  unconfirmed: RecordedPayment[];
}

export const MATCH_WINDOW_MS = 2 * 60_000;

export function reconcile(
  rows: readonly StatementRow[],
  recorded: readonly RecordedPayment[],
  period: { from: Date; to: Date },
): Reconciliation {
  const byTransaction = new Map(recorded.flatMap((p) => (p.transactionId ? [[p.transactionId, p]] : [])));
  const byAmount = new Map<number, RecordedPayment[]>();
  for (const payment of recorded) {
    const same = byAmount.get(payment.amountFen);
    if (same) same.push(payment);
    else byAmount.set(payment.amountFen, [payment]);
  }
  const used = new Set<number>();
  const result: Reconciliation = { matched: [], missed: [], unconfirmed: [] };
  for (const row of rows) {
    const found =
      (row.transactionId ? byTransaction.get(row.transactionId) : undefined) ?? nearest(row, byAmount, used);
    if (found) used.add(found.id);
    if (!found) result.missed.push({ row, recordedAs: null });
    else if (found.source === 'statement') result.missed.push({ row, recordedAs: found.id });
    else result.matched.push({ row, paymentId: found.id });
  }
  const inPeriod = (p: RecordedPayment) => p.paidAt >= period.from && p.paidAt <= period.to;
  result.unconfirmed = recorded.filter((p) => p.autoCredited && !used.has(p.id) && inPeriod(p));
  return result;
}

/**
 * The unused payment of the same amount paid closest to the row, within the window. A payment with a
 * transaction id other than the row's is another transaction, never this one.
 */
function nearest(
  row: StatementRow,
  byAmount: ReadonlyMap<number, RecordedPayment[]>,
  used: ReadonlySet<number>,
): RecordedPayment | undefined {
  const at = new Date(row.time).getTime();
  let best: RecordedPayment | undefined;
  let bestGap = MATCH_WINDOW_MS + 1;
  for (const payment of byAmount.get(row.amountFen) ?? []) {
    if (used.has(payment.id)) continue;
    if (row.transactionId && payment.transactionId && payment.transactionId !== row.transactionId) continue;
    const gap = Math.abs(payment.paidAt.getTime() - at);
    if (gap < bestGap) {
      best = payment;
      bestGap = gap;
    }
  }
  return best;
}
