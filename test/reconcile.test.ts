// The pure reconciliation rule: transaction id first, else the same amount within two minutes, each recorded
// payment matched at most once; automatic credits of the period the statement does not show are listed.
import { describe, expect, it } from 'vitest';
import { type RecordedPayment, reconcile } from '../src/modules/statements/reconcile.ts';
import type { StatementRow } from '../src/modules/statements/statement.models.ts';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 20, 4, 0, seconds));
const row = (seconds: number, amountFen: number, transactionId: string | null): StatementRow => ({
  time: at(seconds).toISOString(),
  amountFen,
  direction: 'in',
  successful: true,
  transactionId,
  payer: null,
  memo: null,
});
const paid = (
  id: number,
  seconds: number,
  amountFen: number,
  extra: Partial<RecordedPayment> = {},
): RecordedPayment => ({
  id,
  amountFen,
  transactionId: null,
  paidAt: at(seconds),
  source: 'mail',
  autoCredited: true,
  ...extra,
});
const period = { from: at(-3600), to: at(3600) };

describe('reconcile', () => {
  it('matches by transaction id whatever the time, else by amount within two minutes', () => {
    const result = reconcile(
      [row(0, 1000, 'T1'), row(0, 2000, 'T2'), row(0, 3000, 'T3')],
      [paid(1, 3000, 1000, { transactionId: 'T1' }), paid(2, 119, 2000), paid(3, 121, 3000)],
      period,
    );
    expect(result.matched.map((m) => m.paymentId)).toEqual([1, 2]);
    expect(result.missed.map((m) => m.row.transactionId)).toEqual(['T3']);
    expect(result.unconfirmed.map((p) => p.id)).toEqual([3]);
  });

  it('never matches a payment that carries another transaction id, and uses each payment once', () => {
    const result = reconcile(
      [row(0, 1000, 'T1'), row(300, 1000, null), row(305, 1000, null)],
      [paid(1, 5, 1000, { transactionId: 'OTHER' }), paid(2, 310, 1000)],
      period,
    );
    // T1 is not OTHER, and payment 2 is too far from it; the next row takes payment 2, the one after finds none.
    expect(result.matched).toEqual([{ row: row(300, 1000, null), paymentId: 2 }]);
    expect(result.missed.map((m) => m.row.time)).toEqual([at(0).toISOString(), at(305).toISOString()]);
  });

  it('reports a transaction an earlier statement recorded as missed again, and lists only automatic credits in the period', () => {
    const result = reconcile(
      [row(0, 1000, 'T1')],
      [
        paid(1, 0, 1000, { transactionId: 'T1', source: 'statement', autoCredited: false }),
        paid(2, 100, 500, { autoCredited: false }),
        paid(3, 7200, 500),
      ],
      period,
    );
    expect(result.missed).toEqual([{ row: row(0, 1000, 'T1'), recordedAs: 1 }]);
    expect(result.unconfirmed).toEqual([]);
  });
});
