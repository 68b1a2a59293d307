// Use case: an admin refunds a credited order — a reversing ledger entry, the balance debited, the customer told.
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { type Admin, actorOf } from '../review/admin-actor.ts';
import { canTransition } from './order.models.ts';
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
      if (credit.paymentId) await store.decisions.markRefunded(credit.paymentId, admin.id, deps.clock.now());
      await notifyCustomer(store, customer, (texts) => texts.refunded(orderNo, credit.amountFen, balanceFen));
      await store.outbox.enqueue([
        {
          chatId: admin.id,
          message: {
            method: 'sendMessage',
            text: adminTextsFor(admin.language).refundedAdmin(orderNo, credit.amountFen, balanceFen),
          },
        },
      ]);
      await store.audit.record({
        actorId: admin.id,
        actorName: admin.name,
        action: 'refund_order',
        orderId: order.id,
        paymentId: credit.paymentId,
        customerId: customer.id,
        amountFen: -credit.amountFen,
        detail: { reason },
      });
      return { kind: 'refunded', orderNo, amountFen: credit.amountFen, balanceFen };
    });
    if (outcome.kind === 'refunded') deps.onQueued();
    return outcome;
  };
}

export type RefundOrder = ReturnType<typeof createRefundOrder>;
