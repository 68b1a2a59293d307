// Shops' EPay orders: what a shop sent (shop_orders) beside the order it became, found by the shop's own order
// number or by mailpay's.
import { and, eq } from 'drizzle-orm';
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
    /** Throws a unique violation when the shop already has an order of this out_trade_no. */
    async insert(row: NewShopOrder): Promise<void> {
      await db.insert(shopOrders).values(row);
    },
  };
}
