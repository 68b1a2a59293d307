// The HTTP outbox: shop notifies and signed events, queued in the transaction of the change they report.
import { inArray } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { shopOrders, webDeliveries } from '../../shared/db/schema.ts';

/** An event for EVENTS_WEBHOOK_URL: `id` is unique (`evt_…`), so receivers can dedupe; `body` is its JSON. */
export interface QueuedEvent {
  eventId: string;
  body: Record<string, unknown>;
}

export function createWebOutboxRepository({ db }: { db: Db }) {
  return {
    /**
     * Queues the notify of each of these orders that a shop made (others are skipped): rendered and signed
     * when sent, from what the shop sent. Returns the delivery ids.
     */
    async queueShopNotifies(orderIds: readonly number[]): Promise<number[]> {
      if (orderIds.length === 0) return [];
      // Two statements: drizzle's insert…select wants every column of the table selected, in order.
      const shopOrderIds = await db
        .select({ orderId: shopOrders.orderId })
        .from(shopOrders)
        .where(inArray(shopOrders.orderId, [...orderIds]));
      if (shopOrderIds.length === 0) return [];
      const rows = await db
        .insert(webDeliveries)
        .values(shopOrderIds.map(({ orderId }) => ({ kind: 'shop_notify' as const, orderId })))
        .returning({ id: webDeliveries.id });
      return rows.map((row) => row.id);
    },

    async queueEvents(events: readonly QueuedEvent[]): Promise<number[]> {
      if (events.length === 0) return [];
      const rows = await db
        .insert(webDeliveries)
        .values(events.map((event) => ({ kind: 'event' as const, eventId: event.eventId, body: event.body })))
        .returning({ id: webDeliveries.id });
      return rows.map((row) => row.id);
    },
  };
}

export type WebOutboxRepository = ReturnType<typeof createWebOutboxRepository>;
