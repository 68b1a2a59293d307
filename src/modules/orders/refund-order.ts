// Use case: an admin refunds a credited order — a reversing ledger entry, the balance debited, the customer told,
// the order.refunded event queued.
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { adminNumberOf, type Customer } from '../customers/customers.repository.ts';
import { orderRefunded } from '../events/event-bodies.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { type Admin, actorOf } from '../review/admin-actor.ts';
import { canTransition, type Order } from './order.models.ts';
import { normaliseForOrderNumbers } from './order-number.ts';

export type RefundOrderOutcome =
  | { kind: 'refunded'; orderNo: string; amountFen: number; balanceFen: number }
  | { kind: 'order_not_found'; orderNo: string }
  | { kind: 'not_refundable'; orderNo: string; status: string }
  | { kind: 'insufficient_balance'; customerId: number; balanceFen: number };

export function createRefundOrder(deps: { transaction: Transaction; clock: Clock; onQueued: () => void }) {
  return async function refundOrder(
    admin: Admin,
    orderNoText: string,
    reason: string,
  ): Promise<RefundOrderOutcome> {
    const orderNo = normaliseForOrderNumbers(orderNoText);
    const outcome = await deps.transaction(async (store): Promise<RefundOrderOutcome> => {
      const order = await store.orders.findByNumber(orderNo);
      if (!order) return { kind: 'order_not_found', orderNo };
      const credit = canTransition(order.status, 'refunded') ? await store.ledger.creditOf(order.id) : null;
      if (!credit) return { kind: 'not_refundable', orderNo, status: order.status };
      // Locked: a debit of the balance API in another transaction waits, and then sees this refund's balance.
      await store.customers.lock(credit.customerId);
      const customer = await store.customers.find(credit.customerId);
      if (!customer) throw new Error(`order ${orderNo} has no customer`);
      if (customer.balanceFen < credit.amountFen) {
        return {
          kind: 'insufficient_balance',
          customerId: adminNumberOf(customer),
          balanceFen: customer.balanceFen,
        };
      }
      if (!(await store.orders.refund(order.id)))
        return { kind: 'not_refundable', orderNo, status: 'refunded' };
      await store.ledger.append({
        customerId: customer.id,
        amountFen: -credit.amountFen,
        kind: 'refund',
        orderId: order.id,
        paymentId: credit.paymentId,
        note: reason || null,
        actor: actorOf(admin),
      });
      const { balanceFen } = await store.customers.addToBalance(customer.id, -credit.amountFen);
      await recordRefund(store, {
        admin,
        customer,
        order,
        credit,
        balanceFen,
        reason,
        now: deps.clock.now(),
      });
      return { kind: 'refunded', orderNo, amountFen: credit.amountFen, balanceFen };
    });
    if (outcome.kind === 'refunded') deps.onQueued();
    return outcome;
  };
}

/** What a refund leaves besides the money: the payment marked, the event, the messages and the audit entry. */
async function recordRefund(
  store: Store,
  refund: {
    admin: Admin;
    customer: Customer;
    order: Order;
    credit: { amountFen: number; paymentId: number | null };
    balanceFen: number;
    reason: string;
    now: Date;
  },
): Promise<void> {
  const { admin, customer, order, balanceFen, reason, now } = refund;
  const { amountFen, paymentId } = refund.credit;
  const { orderNo } = order;
  if (paymentId) await store.decisions.markRefunded(paymentId, admin.id, now);
  const actor = actorOf(admin);
  await store.events.queue([orderRefunded({ customer, orderNo, amountFen, balanceFen, reason, actor })], now);
  await notifyCustomer(store, customer, (texts) => texts.refunded(orderNo, amountFen, balanceFen));
  await store.outbox.enqueue([
    {
      chatId: admin.id,
      message: {
        method: 'sendMessage',
        text: adminTextsFor(admin.language).refundedAdmin(orderNo, amountFen, balanceFen),
      },
    },
  ]);
  await store.audit.record({
    actorId: admin.id,
    actorName: admin.name,
    action: 'refund_order',
    orderId: order.id,
    paymentId,
    customerId: customer.id,
    amountFen: -amountFen,
    detail: { reason },
  });
}

export type RefundOrder = ReturnType<typeof createRefundOrder>;
