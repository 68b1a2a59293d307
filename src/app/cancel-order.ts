// Use case: a customer cancels their pending order(s); the payable amount becomes free again.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import { normaliseForOrderNumbers } from '../domain/order-number.ts';
import { customerLanguage, textsFor } from '../domain/texts.ts';
import type { Clock } from './ports.ts';

export type CancelOutcome = { kind: 'cancelled'; orderNos: string[] } | { kind: 'nothing_to_cancel' };

export function createCancelOrder(deps: { db: Db; clock: Clock; onQueued: () => void }) {
  /** Cancels `orderNo`, or every pending order of the customer when none is named. */
  return async function cancelOrder(customerId: number, orderNo?: string): Promise<CancelOutcome> {
    const wanted = orderNo ? normaliseForOrderNumbers(orderNo) : null;
    const outcome = await inTransaction(deps.db, async (store): Promise<CancelOutcome> => {
      const pending = await store.orders.pendingOfCustomer(customerId);
      const targets = pending.filter((order) => wanted === null || order.orderNo === wanted);
      const cancelled: string[] = [];
      for (const order of targets) {
        if (await store.orders.transition(order.id, 'pending', 'cancelled', deps.clock.now()))
          cancelled.push(order.orderNo);
      }
      if (cancelled.length === 0) return { kind: 'nothing_to_cancel' };
      const customer = await store.customers.find(customerId);
      if (customer) {
        const texts = textsFor(customerLanguage(customer));
        await store.outbox.enqueue(
          cancelled.map((no) => ({
            chatId: customer.chatId,
            message: { method: 'sendMessage', text: texts.cancelled(no) },
          })),
        );
      }
      return { kind: 'cancelled', orderNos: cancelled };
    });
    if (outcome.kind === 'cancelled') deps.onQueued();
    return outcome;
  };
}

export type CancelOrder = ReturnType<typeof createCancelOrder>;
