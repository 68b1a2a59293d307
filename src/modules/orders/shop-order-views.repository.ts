// What admins are shown of a shop's (EPay) order: the shop and its order number, and how its notify went.
import { desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { shopOrders, webDeliveries, webDeliveryAttempts } from '../../shared/db/schema.ts';

/** The shop an order came from: its pid and its own order number, as the shop sent them. */
export interface ShopOfOrder {
  pid: string;
  outTradeNo: string;
}

/** The notify of a paid shop order: its delivery's status, how many tries, and the last one. */
export interface NotifyTries {
  status: string;
  tries: number;
  last: { at: Date; outcome: string; httpStatus: number | null } | null;
}

export function createShopOrderViewsRepository({ db }: { db: Db }) {
  return {
    /** The shops of those of these orders that a shop made (others are absent). */
    async shopsOf(orderIds: readonly number[]): Promise<Map<number, ShopOfOrder>> {
      if (orderIds.length === 0) return new Map();
      const rows = await db
        .select({ orderId: shopOrders.orderId, pid: shopOrders.pid, outTradeNo: shopOrders.outTradeNo })
        .from(shopOrders)
        .where(inArray(shopOrders.orderId, [...orderIds]));
      return new Map(rows.map(({ orderId, ...shop }) => [orderId, shop]));
    },

    /** The order's notify (its latest delivery) and every try of it; null when none was queued. */
    async notifyTriesOf(orderId: number): Promise<NotifyTries | null> {
      const [delivery] = await db
        .select({ id: webDeliveries.id, status: webDeliveries.status })
        .from(webDeliveries)
        .where(sql`${webDeliveries.orderId} = ${orderId} and ${webDeliveries.kind} = 'shop_notify'`)
        .orderBy(desc(webDeliveries.id))
        .limit(1);
      if (!delivery) return null;
      const [counted] = await db
        .select({ tries: sql<number>`count(*)::int` })
        .from(webDeliveryAttempts)
        .where(eq(webDeliveryAttempts.deliveryId, delivery.id));
      const [last] = await db
        .select({
          at: webDeliveryAttempts.at,
          outcome: webDeliveryAttempts.outcome,
          httpStatus: webDeliveryAttempts.httpStatus,
        })
        .from(webDeliveryAttempts)
        .where(eq(webDeliveryAttempts.deliveryId, delivery.id))
        .orderBy(desc(webDeliveryAttempts.at), desc(webDeliveryAttempts.id))
        .limit(1);
      return { status: delivery.status, tries: Number(counted?.tries ?? 0), last: last ?? null };
    },
  };
}
