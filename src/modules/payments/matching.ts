// Matching a parsed, authenticated payment to an order: credit only when exactly one order clearly fits.
import { canCredit, isOpenAt, type Order, wasPaid } from '../orders/order.models.ts';
import { normaliseForOrderNumbers, orderNumberCandidates } from '../orders/order-number.ts';

export type ReviewReason =
  | 'unauthenticated'
  /** The DKIM key of its aligned signature could not be looked up for the whole retry window. */
  | 'auth_unavailable'
  | 'suspected_duplicate'
  | 'unclear_notification'
  | 'amount_mismatch'
  /** The memo names an order to be paid to the other provider's collection code. */
  | 'provider_mismatch'
  | 'late'
  | 'already_paid'
  | 'ambiguous'
  | 'unmatched';

export type CandidateOrder = Pick<
  Order,
  'id' | 'orderNo' | 'customerId' | 'payableFen' | 'status' | 'expiresAt' | 'provider'
>;

export interface PaymentToMatch {
  amountFen: number;
  /** The provider the notification came from (`alipay`, `wechat`). */
  provider: string | null;
  memo: string | null;
  /** When the payment was made: the notification's time, never later than its arrival. */
  paidAt: Date;
  /** `unavailable`: the signature could not be checked (DKIM key look-ups kept failing). */
  authentication: 'pass' | 'fail' | 'unavailable';
  suspectedDuplicate: boolean;
  /** The notification reads more than one way (two rules, two amounts): never a guess. */
  unclear: boolean;
}

export type MatchOutcome<O extends CandidateOrder = CandidateOrder> =
  | { kind: 'credit'; order: O; by: 'memo' | 'amount' }
  | { kind: 'review'; reason: ReviewReason; orders: O[] };

/**
 * `namedOrders`: orders (any status) whose number appears in the memo.
 * `sameAmountOrders`: orders (any status) whose payable amount equals the paid amount and that were
 * pending around the payment — pending ones, and recently expired or cancelled ones for `late`.
 */
export function matchPayment<O extends CandidateOrder>(
  payment: PaymentToMatch,
  namedOrders: readonly O[],
  sameAmountOrders: readonly O[],
): MatchOutcome<O> {
  const named = namedOrders.filter((order) => memoNames(payment.memo, order.orderNo));
  const review = (reason: ReviewReason, orders: O[]): MatchOutcome<O> => ({
    kind: 'review',
    reason,
    orders,
  });

  if (payment.authentication === 'unavailable') return review('auth_unavailable', named);
  if (payment.authentication === 'fail') return review('unauthenticated', named);
  if (payment.suspectedDuplicate) return review('suspected_duplicate', named);
  if (payment.unclear) return review('unclear_notification', named);

  if (named.length > 1) return review('ambiguous', named);
  const [namedOrder] = named;
  if (namedOrder) {
    if (wasPaid(namedOrder)) return review('already_paid', named);
    if (!isOpenAt(namedOrder, payment.paidAt)) return review('late', named);
    if (!paysTo(namedOrder, payment.provider)) return review('provider_mismatch', named);
    if (namedOrder.payableFen !== payment.amountFen) return review('amount_mismatch', named);
    return { kind: 'credit', order: namedOrder, by: 'memo' };
  }

  // Payable amounts are unique per provider: only the orders of the payment's provider (or of either) fit.
  const sameAmount = sameAmountOrders.filter(
    (order) => order.payableFen === payment.amountFen && paysTo(order, payment.provider),
  );
  const open = sameAmount.filter((order) => isOpenAt(order, payment.paidAt));
  if (open.length > 1) return review('ambiguous', open);
  const [openOrder] = open;
  if (openOrder) return { kind: 'credit', order: openOrder, by: 'amount' };

  // The amount fits only orders that were closed (or past their expiry) when the money came.
  const late = sameAmount.filter((order) => !wasPaid(order));
  if (late.length > 0) return review('late', late);
  return review('unmatched', []);
}

/**
 * Whether a payment through `provider` can pay the order: one of that provider, or one of either (an order
 * made while the payee had one collection code, or a shop order whose payer has not chosen yet).
 */
export function paysTo(order: Pick<CandidateOrder, 'provider'>, provider: string | null): boolean {
  return order.provider === null || order.provider === provider;
}

/**
 * Why a payment matched to `order` went to review after all: the order was closed (cancelled, expired,
 * paid) by someone else between the read and the credit. Its status as read again says which.
 */
export function lostCreditReason(order: Pick<CandidateOrder, 'status'>): ReviewReason {
  return wasPaid(order) ? 'already_paid' : 'late';
}

/** When a payment was made: the notification's own time, but never later than its arrival (a phone clock can run ahead). */
export function paidAtFrom(notifiedAt: Date | null, arrivedAt: Date): Date {
  return notifiedAt && !Number.isNaN(notifiedAt.getTime()) && notifiedAt < arrivedAt ? notifiedAt : arrivedAt;
}

/** Notification times have one-second resolution and come from the phone's clock: this much slack. */
export const NOTIFICATION_TIME_SLACK_MS = 5_000;
/** Closed orders stay candidates (for `late`) this long after their expiry. */
export const CLOSED_ORDER_LOOKBACK_MS = 86_400_000;

/**
 * The time window a payment made between `from` and `to` looks for orders in: created before the last
 * payment (with the slack), expiring no earlier than the lookback before the first. What the database
 * reads; `wasPayableAround` decides which orders of it belong to each payment.
 */
export function candidateWindow(from: Date, to: Date): { createdBy: Date; expiringFrom: Date } {
  return {
    createdBy: new Date(to.getTime() + NOTIFICATION_TIME_SLACK_MS),
    expiringFrom: new Date(from.getTime() - CLOSED_ORDER_LOOKBACK_MS),
  };
}

/**
 * Whether an order could be the one a payment of its amount made at `paidAt` was for: not paid, created
 * before the payment (an order made after it cannot be the one it paid), and expiring no earlier than the
 * lookback before it (closed ones, for `late`).
 */
export function wasPayableAround(
  order: Pick<Order, 'status' | 'expiresAt' | 'createdAt'>,
  paidAt: Date,
): boolean {
  const window = candidateWindow(paidAt, paidAt);
  return (
    !wasPaid(order) &&
    order.createdAt.getTime() <= window.createdBy.getTime() &&
    order.expiresAt.getTime() >= window.expiringFrom.getTime()
  );
}

/**
 * Sorts the orders read for a payment into those its memo may name (any status) and those of its amount
 * that were payable around it: the two lists `matchPayment` takes.
 */
export function candidatesFor<O extends Order>(
  payment: { amountFen: number; memo: string | null; paidAt: Date },
  orders: readonly O[],
): { named: O[]; sameAmount: O[] } {
  const orderNos = new Set(orderNumberCandidates(payment.memo));
  return {
    named: orders.filter((order) => orderNos.has(order.orderNo)),
    sameAmount: orders.filter(
      (order) =>
        !orderNos.has(order.orderNo) &&
        order.payableFen === payment.amountFen &&
        wasPayableAround(order, payment.paidAt),
    ),
  };
}

/** How many likely orders a review card offers as buttons. */
export const LIKELY_ORDERS = 4;

/**
 * Likely orders for a payment no order clearly fits, nearest amount first, then newest: creditable, payable
 * around the payment, and within `nearFen` of its amount.
 */
export function likelyOrders<O extends Order>(
  payment: { amountFen: number; paidAt: Date },
  orders: readonly O[],
  nearFen: number,
): O[] {
  const distance = (order: O) => Math.abs(order.payableFen - payment.amountFen);
  return orders
    .filter(
      (order) => canCredit(order) && wasPayableAround(order, payment.paidAt) && distance(order) <= nearFen,
    )
    .sort((a, b) => distance(a) - distance(b) || b.createdAt.getTime() - a.createdAt.getTime())
    .slice(0, LIKELY_ORDERS);
}

export function memoNames(memo: string | null, orderNo: string): boolean {
  return memo !== null && normaliseForOrderNumbers(memo).includes(orderNo);
}
