// Use case: a customer cancels their pending order(s); the payable amount becomes free again.
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { statusesBefore } from './order.models.ts';
import { cancellationRefusal, NO_USAGE, ORDER_LIMIT_WINDOW_MS, type OrderLimits } from './order-limits.ts';
import { normaliseForOrderNumbers } from './order-number.ts';

export type CancelOutcome =
  | { kind: 'cancelled'; orderNos: string[] }
  | { kind: 'nothing_to_cancel' }
  /** MAX_CANCELS_PER_HOUR orders cancelled in the last hour; more from `retryAt`. */
  | { kind: 'rejected'; code: 'order.too_many_cancels'; retryAt: Date };

export function createCancelOrder(deps: {
  transaction: Transaction;
  clock: Clock;
  limits: OrderLimits;
  onQueued: () => void;
}) {
  /** Cancels `orderNo`, or every pending order of the customer when none is named. */
  return async function cancelOrder(customerId: number, orderNo?: string): Promise<CancelOutcome> {
    const wanted = orderNo ? normaliseForOrderNumbers(orderNo) : null;
    const outcome = await deps.transaction(async (store): Promise<CancelOutcome> => {
      const now = deps.clock.now();
      // Sent together, run in this order: counted under the customer's row lock, as order creation counts.
      const [, usage, pending] = await Promise.all([
        store.customers.lock(customerId),
        store.orders.usageOf([customerId], new Date(now.getTime() - ORDER_LIMIT_WINDOW_MS)),
        store.orders.pendingOfCustomer(customerId),
      ]);
      const targets = pending.filter((order) => wanted === null || order.orderNo === wanted);
      if (targets.length === 0) return { kind: 'nothing_to_cancel' };
      const retryAt = cancellationRefusal(usage.get(customerId) ?? NO_USAGE, deps.limits, now);
      if (retryAt) return { kind: 'rejected', code: 'order.too_many_cancels', retryAt };
      const cancelled: string[] = [];
      for (const order of targets) {
        if (await store.orders.transition(order.id, statusesBefore('cancelled'), 'cancelled', now))
          cancelled.push(order.orderNo);
      }
      if (cancelled.length === 0) return { kind: 'nothing_to_cancel' };
      await notifyCustomer(store, customerId, (texts) => cancelled.map((no) => texts.cancelled(no)));
      return { kind: 'cancelled', orderNos: cancelled };
    });
    if (outcome.kind === 'cancelled') deps.onQueued();
    return outcome;
  };
}

export type CancelOrder = ReturnType<typeof createCancelOrder>;
