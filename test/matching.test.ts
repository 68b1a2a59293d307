import { describe, expect, it } from 'vitest';
import { type CandidateOrder, matchPayment, type PaymentToMatch } from '../src/domain/matching.ts';

const now = new Date('2026-11-20T12:00:00+08:00');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

const order = (overrides: Partial<CandidateOrder> = {}): CandidateOrder => ({
  id: 1,
  orderNo: 'K7M3Q9XA',
  customerId: 42,
  payableFen: 1000,
  status: 'pending',
  expiresAt: later(900),
  ...overrides,
});
const payment = (overrides: Partial<PaymentToMatch> = {}): PaymentToMatch => ({
  amountFen: 1000,
  memo: '充值-K7M3Q9XA',
  paidAt: now,
  authenticated: true,
  suspectedDuplicate: false,
  ...overrides,
});

describe('matchPayment', () => {
  it('credits the order named in the memo when the amount equals its payable amount', () => {
    const named = order();
    expect(matchPayment(payment(), [named], [named])).toEqual({ kind: 'credit', order: named, by: 'memo' });
  });

  it('credits the one pending order with that payable amount when there is no memo', () => {
    const only = order();
    expect(matchPayment(payment({ memo: null }), [], [only])).toEqual({
      kind: 'credit',
      order: only,
      by: 'amount',
    });
  });

  it('credits an order that expires the very second it is paid', () => {
    const edge = order({ expiresAt: now });
    expect(matchPayment(payment(), [edge], [edge]).kind).toBe('credit');
  });

  it.each([
    ['unauthenticated', payment({ authenticated: false }), [order()], [order()]],
    ['suspected_duplicate', payment({ suspectedDuplicate: true }), [order()], [order()]],
    ['amount_mismatch', payment({ amountFen: 999 }), [order()], []],
    ['late', payment(), [order({ status: 'expired' })], []],
    ['late', payment({ paidAt: later(901) }), [order()], []],
    ['late', payment(), [order({ status: 'cancelled' })], []],
    ['already_paid', payment(), [order({ status: 'paid' })], []],
    [
      'ambiguous',
      payment({ memo: 'K7M3Q9XA K7M3Q9XB' }),
      [order(), order({ id: 2, orderNo: 'K7M3Q9XB' })],
      [],
    ],
    ['ambiguous', payment({ memo: null }), [], [order(), order({ id: 2, orderNo: 'BBBBBBBB' })]],
    ['unmatched', payment({ memo: null }), [], []],
    ['late', payment({ memo: null }), [], [order({ status: 'expired', expiresAt: later(-60) })]],
  ])('sends %s payments to review', (reason, paid, named, sameAmount) => {
    expect(matchPayment(paid, named, sameAmount)).toMatchObject({ kind: 'review', reason });
  });

  it('trusts the memo over the amount when they point at different orders', () => {
    const named = order({ id: 1, payableFen: 1000 });
    const other = order({ id: 2, orderNo: 'BBBBBBBB', payableFen: 999 });
    expect(matchPayment(payment({ amountFen: 999 }), [named], [other])).toMatchObject({
      kind: 'review',
      reason: 'amount_mismatch',
    });
  });

  it('ignores candidate orders the memo does not name', () => {
    const unrelated = order({ orderNo: 'ZZZZZZZZ' });
    expect(matchPayment(payment({ memo: 'hello' }), [unrelated], [unrelated])).toMatchObject({
      kind: 'credit',
      by: 'amount',
    });
  });
});
