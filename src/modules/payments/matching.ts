// Matching a parsed, authenticated payment to an order: credit only when exactly one order clearly fits.
import { normaliseForOrderNumbers } from '../orders/order-number.ts';

export type ReviewReason =
  | 'unauthenticated'
  /** The DKIM key of its aligned signature could not be looked up for the whole retry window. */
  | 'auth_unavailable'
  | 'suspected_duplicate'
  | 'unclear_notification'
  | 'amount_mismatch'
  | 'late'
  | 'already_paid'
  | 'ambiguous'
  | 'unmatched';

export interface CandidateOrder {
  id: number;
  orderNo: string;
  customerId: number;
  payableFen: number;
  status: 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';
  expiresAt: Date;
}

export interface PaymentToMatch {
  amountFen: number;
  memo: string | null;
  /** When the payment was made: the notification's time, never later than its arrival. */
  paidAt: Date;
  /** `unavailable`: the signature could not be checked (DKIM key look-ups kept failing). */
  authentication: 'pass' | 'fail' | 'unavailable';
  suspectedDuplicate: boolean;
  /** The notification reads more than one way (two rules, two amounts): never a guess. */
  unclear: boolean;
}

export type MatchOutcome<Order extends CandidateOrder = CandidateOrder> =
  | { kind: 'credit'; order: Order; by: 'memo' | 'amount' }
  | { kind: 'review'; reason: ReviewReason; orders: Order[] };

/**
 * `namedOrders`: orders (any status) whose number appears in the memo.
 * `sameAmountOrders`: orders (any status) whose payable amount equals the paid amount and that were
 * pending around the payment — pending ones, and recently expired or cancelled ones for `late`.
 */
export function matchPayment<Order extends CandidateOrder>(
  payment: PaymentToMatch,
  namedOrders: readonly Order[],
  sameAmountOrders: readonly Order[],
): MatchOutcome<Order> {
  const named = namedOrders.filter((order) => memoNames(payment.memo, order.orderNo));
  const review = (reason: ReviewReason, orders: Order[]): MatchOutcome<Order> => ({
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
    if (namedOrder.status === 'paid' || namedOrder.status === 'refunded')
      return review('already_paid', named);
    if (!isOpenAt(namedOrder, payment.paidAt)) return review('late', named);
    if (namedOrder.payableFen !== payment.amountFen) return review('amount_mismatch', named);
    return { kind: 'credit', order: namedOrder, by: 'memo' };
  }

  const sameAmount = sameAmountOrders.filter((order) => order.payableFen === payment.amountFen);
  const open = sameAmount.filter((order) => isOpenAt(order, payment.paidAt));
  if (open.length > 1) return review('ambiguous', open);
  const [openOrder] = open;
  if (openOrder) return { kind: 'credit', order: openOrder, by: 'amount' };

  // The amount fits only orders that were closed (or past their expiry) when the money came.
  const late = sameAmount.filter(
    (order) => order.status === 'pending' || order.status === 'expired' || order.status === 'cancelled',
  );
  if (late.length > 0) return review('late', late);
  return review('unmatched', []);
}

/**
 * Why a payment matched to `order` went to review after all: the order was closed (cancelled, expired,
 * paid) by someone else between the read and the credit. Its status as read again says which.
 */
export function lostCreditReason(order: Pick<CandidateOrder, 'status'>): ReviewReason {
  return order.status === 'paid' || order.status === 'refunded' ? 'already_paid' : 'late';
}

/**
 * Could still be paid at the moment of payment: not past its expiry (an order expiring that very second
 * counts), and pending — or already marked expired by a sweep that ran before the notification arrived.
 */
function isOpenAt(order: CandidateOrder, paidAt: Date): boolean {
  const inTime = paidAt.getTime() <= order.expiresAt.getTime();
  return inTime && (order.status === 'pending' || order.status === 'expired');
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
 * Whether an order of the paid amount belongs among `sameAmountOrders`: pending, or closed within the
 * lookback (for `late`); and created before the payment — an order made after it cannot be the one it paid.
 */
export function wasPayableAround(
  order: Pick<CandidateOrder, 'status' | 'expiresAt'> & { createdAt: Date },
  paidAt: Date,
): boolean {
  if (order.createdAt.getTime() > paidAt.getTime() + NOTIFICATION_TIME_SLACK_MS) return false;
  if (order.status === 'pending') return true;
  const closed = order.status === 'expired' || order.status === 'cancelled';
  return closed && order.expiresAt.getTime() >= paidAt.getTime() - CLOSED_ORDER_LOOKBACK_MS;
}

export function memoNames(memo: string | null, orderNo: string): boolean {
  return memo !== null && normaliseForOrderNumbers(memo).includes(orderNo);
}
