// Where an admin's approval credits: the order the button or /assign names, the order the payment names, or a customer;
// nowhere when the provider's transaction is credited already (a forged copy, a statement's missed row).
import type { Store } from '../../shared/db/store.ts';
import { canCredit, type Order } from '../orders/order.models.ts';
import { normaliseForOrderNumbers } from '../orders/order-number.ts';
import type { Payment } from '../payments/payment.models.ts';
import { namesOrder } from './review-card.ts';

export type TargetDecision =
  | { kind: 'approve'; paymentId: number; orderNo: string | null }
  | { kind: 'assign'; paymentId: number; target: string };

export type TargetRefusal =
  | { kind: 'needs_target'; paymentId: number }
  | { kind: 'order_not_found'; orderNo: string }
  | { kind: 'order_not_creditable'; orderNo: string; status: string }
  | { kind: 'customer_not_found'; id: string }
  /** Another payment of the same provider transaction is credited already: the same money, never twice. */
  | { kind: 'transaction_already_credited'; transactionId: string; creditedPaymentId: number };

/** An order (and its customer), or a customer without an order. */
export interface CreditTarget {
  order: Order | null;
  customerId: number;
}

export async function creditTarget(
  store: Store,
  decision: TargetDecision,
  payment: Pick<Payment, 'id' | 'orderId' | 'memo' | 'provider' | 'transactionId'>,
): Promise<CreditTarget | TargetRefusal> {
  if (payment.transactionId !== null) {
    const creditedPaymentId = await store.payments.creditedSibling(payment);
    if (creditedPaymentId !== null) {
      return {
        kind: 'transaction_already_credited',
        transactionId: payment.transactionId,
        creditedPaymentId,
      };
    }
  }
  const named = decision.kind === 'approve' ? decision.orderNo : decision.target;
  if (named !== null) return namedTarget(store, decision, named);
  const linked = payment.orderId ? await store.orders.findById(payment.orderId) : null;
  if (namesOrder(payment, linked)) return orderTarget(linked);
  return { kind: 'needs_target', paymentId: decision.paymentId };
}

/** The order named by the button or /assign; for /assign, a customer id when no order has that number. */
async function namedTarget(
  store: Store,
  decision: TargetDecision,
  named: string,
): Promise<CreditTarget | TargetRefusal> {
  const order = await store.orders.findByNumber(normaliseForOrderNumbers(named));
  if (order) return orderTarget(order);
  if (decision.kind === 'assign' && /^\d{1,15}$/.test(named)) {
    // Admins name a customer by their Telegram user id.
    const customerId = await store.telegramCustomers.idOf(Number(named));
    return customerId !== null ? { order: null, customerId } : { kind: 'customer_not_found', id: named };
  }
  return { kind: 'order_not_found', orderNo: named };
}

function orderTarget(order: Order): CreditTarget | TargetRefusal {
  return canCredit(order)
    ? { order, customerId: order.customerId }
    : { kind: 'order_not_creditable', orderNo: order.orderNo, status: order.status };
}
