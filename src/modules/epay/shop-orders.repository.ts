// Shops' EPay orders: what a shop sent (shop_orders) beside the order it became, found by the shop's own order
// number or by mailpay's.
import { and, eq, or } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { orders, shopOrders } from '../../shared/db/schema.ts';
import type { Order } from '../orders/order.models.ts';

export type ShopOrderRow = typeof shopOrders.$inferSelect;
export type NewShopOrder = typeof shopOrders.$inferInsert;

export interface ShopOrder {
  order: Order;
  shop: ShopOrderRow;
}

export function createShopOrdersRepository({ db }: { db: Db }) {
  const findWhere = async (pid: string, where: ReturnType<typeof eq>): Promise<ShopOrder | null> => {
    const [row] = await db
      .select({ order: orders, shop: shopOrders })
      .from(shopOrders)
      .innerJoin(orders, eq(orders.id, shopOrders.orderId))
      .where(and(eq(shopOrders.pid, pid), where));
    return row ?? null;
  };
  return {
    /** The shop's order by its out_trade_no. */
    byOutTradeNo: (pid: string, outTradeNo: string) => findWhere(pid, eq(shopOrders.outTradeNo, outTradeNo)),
    /** The shop's order by mailpay's order number (the EPay trade_no); another shop's order is not found. */
    byTradeNo: (pid: string, tradeNo: string) => findWhere(pid, eq(orders.orderNo, tradeNo)),
    /** The orders of these shops' out_trade_nos that exist, in one query. */
    async byOutTradeNos(keys: ReadonlyArray<{ pid: string; outTradeNo: string }>): Promise<ShopOrder[]> {
      if (keys.length === 0) return [];
      return db
        .select({ order: orders, shop: shopOrders })
        .from(shopOrders)
        .innerJoin(orders, eq(orders.id, shopOrders.orderId))
        .where(
          or(
            ...keys.map((key) => and(eq(shopOrders.pid, key.pid), eq(shopOrders.outTradeNo, key.outTradeNo))),
          ),
        );
    },
    /** Throws a unique violation when a shop already has an order of one of these out_trade_nos. */
    async insertAll(rows: readonly NewShopOrder[]): Promise<void> {
      if (rows.length > 0) await db.insert(shopOrders).values([...rows]);
    },
  };
}
