import { describe, expect, it } from 'vitest';
import type { Order } from '../src/modules/orders/order.models.ts';
import {
  type CandidateOrder,
  CLOSED_ORDER_LOOKBACK_MS,
  candidatesFor,
  LIKELY_ORDERS,
  likelyOrders,
  lostCreditReason,
  type MatchOutcome,
  matchPayment,
  NOTIFICATION_TIME_SLACK_MS,
  type PaymentToMatch,
} from '../src/modules/payments/matching.ts';

const now = new Date('2026-11-20T12:00:00+08:00');
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

/** Order 1 (K7M3Q9XA, ¥10.00, pending, expires in 15 minutes) unless told otherwise. */
const order = (overrides: Partial<CandidateOrder> = {}): CandidateOrder => ({
  id: 1,
  orderNo: 'K7M3Q9XA',
  customerId: 42,
  payableFen: 1000,
  status: 'pending',
  expiresAt: at(900),
  provider: null,
  ...overrides,
});
const other = (overrides: Partial<CandidateOrder> = {}) =>
  order({ id: 2, orderNo: 'BBBBBBBB', customerId: 43, ...overrides });

/** ¥10.00 paid now, naming order 1, authenticated, not a repeat — unless told otherwise. */
const payment = (overrides: Partial<PaymentToMatch> = {}): PaymentToMatch => ({
  amountFen: 1000,
  provider: 'alipay',
  memo: '充值-K7M3Q9XA',
  paidAt: now,
  authentication: 'pass',
  suspectedDuplicate: false,
  unclear: false,
  ...overrides,
});

type Expected =
  | { kind: 'credit'; by: 'memo' | 'amount'; orderId: number }
  | { kind: 'review'; reason: string; orderIds: number[] };

interface Case {
  name: string;
  payment: PaymentToMatch;
  named: CandidateOrder[];
  sameAmount: CandidateOrder[];
  expected: Expected;
}

const credit = (by: 'memo' | 'amount', orderId = 1): Expected => ({ kind: 'credit', by, orderId });
const review = (reason: string, orderIds: number[] = []): Expected => ({ kind: 'review', reason, orderIds });

const cases: Case[] = [
  // --- credit by memo
  {
    name: 'memo names a pending order and the amount equals its payable amount',
    payment: payment(),
    named: [order()],
    sameAmount: [order()],
    expected: credit('memo'),
  },
  {
    name: 'memo names it in lower case inside Chinese text',
    payment: payment({ memo: '充值-张三-k7m3q9xa 谢谢' }),
    named: [order()],
    sameAmount: [],
    expected: credit('memo'),
  },
  {
    name: 'memo names it in full-width letters',
    payment: payment({ memo: 'ｋ７ｍ３ｑ９ｘａ' }),
    named: [order()],
    sameAmount: [],
    expected: credit('memo'),
  },
  {
    name: 'the order expires the very second it is paid',
    payment: payment(),
    named: [order({ expiresAt: now })],
    sameAmount: [],
    expected: credit('memo'),
  },
  {
    name: 'the sweep expired the order after it was paid in time (late notification)',
    payment: payment({ paidAt: at(-5) }),
    named: [order({ status: 'expired', expiresAt: at(-1) })],
    sameAmount: [],
    expected: credit('memo'),
  },
  // --- credit by amount
  {
    name: 'no memo, exactly one pending order holds that payable amount',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order()],
    expected: credit('amount'),
  },
  {
    name: 'memo names no order, exactly one pending order holds that amount',
    payment: payment({ memo: '谢谢老板' }),
    named: [],
    sameAmount: [order()],
    expected: credit('amount'),
  },
  {
    name: 'a loaded order the memo does not actually name is ignored, the amount decides',
    payment: payment({ memo: 'hello' }),
    named: [order({ orderNo: 'ZZZZZZZZ' })],
    sameAmount: [order({ orderNo: 'ZZZZZZZZ' })],
    expected: credit('amount'),
  },
  {
    name: 'no memo, the amount fits an order expiring that very second',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ expiresAt: now })],
    expected: credit('amount'),
  },
  {
    name: 'no memo, the amount fits only an order the sweep expired after it was paid in time',
    payment: payment({ memo: null, paidAt: at(-5) }),
    named: [],
    sameAmount: [order({ status: 'expired', expiresAt: at(-1) })],
    expected: credit('amount'),
  },
  // --- review: the message itself is doubtful
  {
    name: 'unauthenticated, even when memo and amount fit',
    payment: payment({ authentication: 'fail' }),
    named: [order()],
    sameAmount: [order()],
    expected: review('unauthenticated', [1]),
  },
  {
    name: 'unauthenticated without memo names no order',
    payment: payment({ authentication: 'fail', memo: null }),
    named: [],
    sameAmount: [order()],
    expected: review('unauthenticated'),
  },
  {
    name: 'unauthenticated comes before suspected duplicate',
    payment: payment({ authentication: 'fail', suspectedDuplicate: true }),
    named: [order()],
    sameAmount: [order()],
    expected: review('unauthenticated', [1]),
  },
  {
    name: 'authentication that could not be checked (DKIM keys unreachable for 30 minutes)',
    payment: payment({ authentication: 'unavailable' }),
    named: [order()],
    sameAmount: [order()],
    expected: review('auth_unavailable', [1]),
  },
  {
    name: 'suspected duplicate, even when memo and amount fit',
    payment: payment({ suspectedDuplicate: true }),
    named: [order()],
    sameAmount: [order()],
    expected: review('suspected_duplicate', [1]),
  },
  {
    name: 'a notification that reads two ways, even when memo and amount fit',
    payment: payment({ unclear: true }),
    named: [order()],
    sameAmount: [order()],
    expected: review('unclear_notification', [1]),
  },
  // --- review: the memo names an order that does not fit
  {
    name: 'amount mismatch: the memo names a pending order, the amount differs by a fen',
    payment: payment({ amountFen: 999 }),
    named: [order()],
    sameAmount: [],
    expected: review('amount_mismatch', [1]),
  },
  {
    name: 'amount mismatch: memo and amount point at different orders (the memo wins, no guess)',
    payment: payment({ amountFen: 999 }),
    named: [order()],
    sameAmount: [other({ payableFen: 999 })],
    expected: review('amount_mismatch', [1]),
  },
  {
    name: 'late: the named order was paid one second after its expiry (sweep not run yet)',
    payment: payment({ paidAt: at(901) }),
    named: [order()],
    sameAmount: [],
    expected: review('late', [1]),
  },
  {
    name: 'late: the named order had expired when it was paid',
    payment: payment(),
    named: [order({ status: 'expired', expiresAt: at(-1) })],
    sameAmount: [],
    expected: review('late', [1]),
  },
  {
    name: 'late: the named order was cancelled (even before its expiry)',
    payment: payment(),
    named: [order({ status: 'cancelled' })],
    sameAmount: [],
    expected: review('late', [1]),
  },
  {
    name: 'late: the named order expired, even though another pending order holds the amount',
    payment: payment(),
    named: [order({ status: 'expired', expiresAt: at(-1) })],
    sameAmount: [other()],
    expected: review('late', [1]),
  },
  {
    name: 'already paid: the named order was paid before',
    payment: payment(),
    named: [order({ status: 'paid' })],
    sameAmount: [],
    expected: review('already_paid', [1]),
  },
  {
    name: 'already paid: the named order was refunded',
    payment: payment(),
    named: [order({ status: 'refunded' })],
    sameAmount: [],
    expected: review('already_paid', [1]),
  },
  {
    name: 'ambiguous: the memo names two orders',
    payment: payment({ memo: 'K7M3Q9XA BBBBBBBB' }),
    named: [order(), other({ payableFen: 2000 })],
    sameAmount: [order()],
    expected: review('ambiguous', [1, 2]),
  },
  // --- review: the amount alone does not decide
  {
    name: 'ambiguous: no memo, two open orders hold the amount (an expired one paid in time and a new one)',
    payment: payment({ memo: null, paidAt: at(-5) }),
    named: [],
    sameAmount: [order({ status: 'expired', expiresAt: at(-1) }), other()],
    expected: review('ambiguous', [1, 2]),
  },
  {
    name: 'unmatched: no memo and no order with that amount',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [],
    expected: review('unmatched'),
  },
  {
    name: 'unmatched: the only order with that amount is another amount (defensive filter)',
    payment: payment({ memo: null, amountFen: 1001 }),
    named: [],
    sameAmount: [order()],
    expected: review('unmatched'),
  },
  {
    name: 'unmatched: the only order with that amount is already paid',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ status: 'paid' })],
    expected: review('unmatched'),
  },
  {
    name: 'late: no memo, the amount fits only an order that had expired',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ status: 'expired', expiresAt: at(-60) })],
    expected: review('late', [1]),
  },
  {
    name: 'late: no memo, the amount fits a pending order one second past its expiry',
    payment: payment({ memo: null, paidAt: at(901) }),
    named: [],
    sameAmount: [order()],
    expected: review('late', [1]),
  },
  {
    name: 'late: no memo, the amount fits only a cancelled order',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ status: 'cancelled' })],
    expected: review('late', [1]),
  },
  // --- providers: payable amounts are unique per provider, so one amount may be held twice
  {
    name: 'credit by amount: an Alipay payment pays the Alipay order of two holding its amount',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [other({ provider: 'wechat' }), order({ provider: 'alipay' })],
    expected: credit('amount', 1),
  },
  {
    name: 'credit by amount: a WeChat payment pays the WeChat order of two holding its amount',
    payment: payment({ memo: null, provider: 'wechat' }),
    named: [],
    sameAmount: [order({ provider: 'alipay' }), other({ provider: 'wechat' })],
    expected: credit('amount', 2),
  },
  {
    name: 'credit by amount: an order for either provider takes a payment of any',
    payment: payment({ memo: null, provider: 'wechat' }),
    named: [],
    sameAmount: [order({ provider: null })],
    expected: credit('amount', 1),
  },
  {
    name: 'ambiguous: an order of its provider and one for either hold the amount',
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ provider: 'alipay' }), other({ provider: null })],
    expected: review('ambiguous', [1, 2]),
  },
  {
    name: "unmatched: only the other provider's order holds the amount",
    payment: payment({ memo: null }),
    named: [],
    sameAmount: [order({ provider: 'wechat' })],
    expected: review('unmatched'),
  },
  {
    name: 'provider_mismatch: the memo names an order to be paid through the other provider',
    payment: payment({ provider: 'wechat' }),
    named: [order({ provider: 'alipay' })],
    sameAmount: [],
    expected: review('provider_mismatch', [1]),
  },
  {
    name: 'credit by memo: the memo names an order of its provider, another provider holds the amount too',
    payment: payment({ provider: 'wechat' }),
    named: [order({ provider: 'wechat' })],
    sameAmount: [other({ provider: 'alipay' })],
    expected: credit('memo', 1),
  },
];

function summary(outcome: MatchOutcome): Expected {
  return outcome.kind === 'credit'
    ? { kind: 'credit', by: outcome.by, orderId: outcome.order.id }
    : { kind: 'review', reason: outcome.reason, orderIds: outcome.orders.map((o) => o.id) };
}

describe('matchPayment', () => {
  it.each(cases)('$name', (c) => {
    expect(summary(matchPayment(c.payment, c.named, c.sameAmount))).toEqual(c.expected);
  });

  it('covers every review reason and both ways of crediting', () => {
    const seen = new Set(
      cases.map((c) => (c.expected.kind === 'credit' ? `credit:${c.expected.by}` : c.expected.reason)),
    );
    expect([...seen].sort()).toEqual(
      [
        'credit:amount',
        'credit:memo',
        'unauthenticated',
        'auth_unavailable',
        'suspected_duplicate',
        'unclear_notification',
        'amount_mismatch',
        'provider_mismatch',
        'late',
        'already_paid',
        'ambiguous',
        'unmatched',
      ].sort(),
    );
  });
});

describe('lostCreditReason', () => {
  it.each([
    ['cancelled', 'late'],
    ['expired', 'late'],
    ['paid', 'already_paid'],
    ['refunded', 'already_paid'],
  ] as const)('says an order found %s at the credit makes the payment %s', (status, reason) => {
    expect(lostCreditReason({ status })).toBe(reason);
  });
});

/** A full order as the database reads it: order 1 created ten minutes before `now` unless told otherwise. */
const stored = (overrides: Partial<Order> = {}): Order => ({
  ...order(),
  requestedFen: 1000,
  createdAt: at(-600),
  closedAt: null,
  ...overrides,
});

describe('candidatesFor', () => {
  it('sorts the orders read into those the memo names (any status) and those of the amount payable around it', () => {
    const named = stored({ status: 'paid' });
    const sameAmount = stored({ id: 2, orderNo: 'BBBBBBBB' });
    const otherAmount = stored({ id: 3, orderNo: 'CCCCCCCC', payableFen: 999 });
    const paid = stored({ id: 4, orderNo: 'DDDDDDDD', status: 'paid' });
    const createdAfter = stored({
      id: 5,
      orderNo: 'EEEEEEEE',
      createdAt: at(NOTIFICATION_TIME_SLACK_MS / 1000 + 1),
    });
    const longClosed = stored({
      id: 6,
      orderNo: 'FFFFFFFF',
      status: 'expired',
      expiresAt: new Date(now.getTime() - CLOSED_ORDER_LOOKBACK_MS - 1000),
    });
    const recentlyCancelled = stored({
      id: 7,
      orderNo: 'GGGGGGGG',
      status: 'cancelled',
      expiresAt: at(-3600),
    });
    const orders = [named, sameAmount, otherAmount, paid, createdAfter, longClosed, recentlyCancelled];
    const sorted = candidatesFor({ amountFen: 1000, memo: '充值 K7M3Q9XA', paidAt: now }, orders);
    expect(sorted.named.map((o) => o.id)).toEqual([1]);
    expect(sorted.sameAmount.map((o) => o.id)).toEqual([2, 7]);
  });

  it('keeps an order created within the slack after the notification time (phone clocks run behind)', () => {
    const justAfter = stored({ createdAt: at(NOTIFICATION_TIME_SLACK_MS / 1000) });
    expect(candidatesFor({ amountFen: 1000, memo: null, paidAt: now }, [justAfter]).sameAmount).toHaveLength(
      1,
    );
  });
});

describe("likelyOrders (an admin card's buttons)", () => {
  it('offers creditable orders near the amount, nearest first and then newest, at most LIKELY_ORDERS', () => {
    const orders = [
      stored({ id: 1, payableFen: 1003 }),
      stored({ id: 2, orderNo: 'B', payableFen: 998, createdAt: at(-300) }),
      stored({ id: 3, orderNo: 'C', payableFen: 1002, createdAt: at(-100) }),
      stored({ id: 4, orderNo: 'D', payableFen: 1000, status: 'paid' }),
      stored({ id: 5, orderNo: 'E', payableFen: 1001, status: 'cancelled' }),
      stored({ id: 6, orderNo: 'F', payableFen: 1020 }),
      stored({ id: 7, orderNo: 'G', payableFen: 999, createdAt: at(-900) }),
      stored({ id: 8, orderNo: 'H', payableFen: 1002, createdAt: at(-200) }),
    ];
    const likely = likelyOrders({ amountFen: 1000, paidAt: now }, orders, 5);
    expect(likely.map((o) => o.id)).toEqual([5, 7, 3, 8]);
    expect(likely).toHaveLength(LIKELY_ORDERS);
  });

  it("uses the matcher's slack: an order created 30 seconds after the payment is not offered", () => {
    const later = stored({ createdAt: at(30) });
    expect(likelyOrders({ amountFen: 1000, paidAt: now }, [later], 5)).toEqual([]);
  });
});
