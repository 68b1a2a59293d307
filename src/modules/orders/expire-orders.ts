// Use case: the expiry sweep — pending orders past their expiry become expired, their payable amounts
// free again (the unique index covers pending orders only), and each customer is told, all in one transaction.
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';

export function createExpireOrders(deps: { transaction: Transaction; clock: Clock; onQueued: () => void }) {
  /** Returns the numbers of the orders it expired; safe to run in several processes at once. */
  return async function expireOrders(): Promise<string[]> {
    const now = deps.clock.now();
    const expired = await deps.transaction(async (store) => {
      const due = await store.orders.expireDue(now);
      for (const order of due) {
        await notifyCustomer(store, order.customerId, (texts) => texts.expired(order.orderNo));
      }
      return due.map((order) => order.orderNo);
    });
    if (expired.length > 0) deps.onQueued();
    return expired;
  };
}

export type ExpireOrders = ReturnType<typeof createExpireOrders>;
