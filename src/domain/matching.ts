// Matching a parsed, authenticated payment to an order: credit only when exactly one order clearly fits.
import { normaliseForOrderNumbers } from './order-number.ts';

export type ReviewReason =
  | 'unauthenticated'
  | 'suspected_duplicate'
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
  authenticated: boolean;
  suspectedDuplicate: boolean;
}

export type MatchOutcome =
  | { kind: 'credit'; order: CandidateOrder; by: 'memo' | 'amount' }
  | { kind: 'review'; reason: ReviewReason; orders: CandidateOrder[] };

/**
 * `namedOrders`: orders (any status) whose number appears in the memo.
 * `sameAmountOrders`: orders (any status) whose payable amount equals the paid amount and that were
 * pending around the payment — pending ones, and recently expired or cancelled ones for `late`.
 */
export function matchPayment(
  payment: PaymentToMatch,
  namedOrders: readonly CandidateOrder[],
  sameAmountOrders: readonly CandidateOrder[],
): MatchOutcome {
  const named = namedOrders.filter((order) => memoNames(payment.memo, order.orderNo));
  const review = (reason: ReviewReason, orders: CandidateOrder[]): MatchOutcome => ({
    kind: 'review',
    reason,
    orders,
  });

  if (!payment.authenticated) return review('unauthenticated', named);
  if (payment.suspectedDuplicate) return review('suspected_duplicate', named);

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
 * Could still be paid at the moment of payment: not past its expiry (an order expiring that very second
 * counts), and pending — or already marked expired by a sweep that ran before the notification arrived.
 */
function isOpenAt(order: CandidateOrder, paidAt: Date): boolean {
  const inTime = paidAt.getTime() <= order.expiresAt.getTime();
  return inTime && (order.status === 'pending' || order.status === 'expired');
}

export function memoNames(memo: string | null, orderNo: string): boolean {
  return memo !== null && normaliseForOrderNumbers(memo).includes(orderNo);
}
