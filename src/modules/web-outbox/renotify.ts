// Use case: /renotify TRADE_NO — a paid shop order's notify sent again: its delivery pending once more with the
// tries reset (a new one when it never had one), and the HTTP outbox woken.
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { normaliseForOrderNumbers } from '../orders/order-number.ts';

export type RenotifyOutcome =
  | { kind: 'queued'; tradeNo: string; deliveryId: number }
  | { kind: 'order_not_found'; tradeNo: string }
  | { kind: 'not_shop_order'; tradeNo: string }
  | { kind: 'not_paid'; tradeNo: string; status: string };

export function createRenotify(deps: { transaction: Transaction; clock: Clock; onWebQueued: () => void }) {
  return async function renotify(tradeNoText: string): Promise<RenotifyOutcome> {
    const outcome = await deps.transaction(async (store): Promise<RenotifyOutcome> => {
      const order = await store.orders.findByNumber(normaliseForOrderNumbers(tradeNoText.trim()));
      if (!order) return { kind: 'order_not_found', tradeNo: tradeNoText };
      const tradeNo = order.orderNo;
      if (!(await store.webDeliveries.shopNotifyOf(order.id))) return { kind: 'not_shop_order', tradeNo };
      if (order.status !== 'paid') return { kind: 'not_paid', tradeNo, status: order.status };
      const requeued = await store.webDeliveries.requeueNotifyOf(order.id, deps.clock.now());
      const deliveryId = requeued ?? (await store.webOutbox.queueShopNotifies([order.id]))[0];
      if (deliveryId === undefined) throw new Error(`no notify queued for order ${tradeNo}`);
      return { kind: 'queued', tradeNo, deliveryId };
    });
    if (outcome.kind === 'queued') deps.onWebQueued();
    return outcome;
  };
}

export type Renotify = ReturnType<typeof createRenotify>;
