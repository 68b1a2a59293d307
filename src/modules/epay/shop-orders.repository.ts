// Shops' EPay orders: what a shop sent (shop_orders) beside the order it became, found by the shop's own order
// number or by mailpay's.
import { and, eq, sql } from 'drizzle-orm';
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
    /** The orders of these shops' out_trade_nos that exist, in one query (the keys sent as one JSON value). */
    async byOutTradeNos(keys: ReadonlyArray<{ pid: string; outTradeNo: string }>): Promise<ShopOrder[]> {
      if (keys.length === 0) return [];
      const wanted = JSON.stringify(keys.map((key) => ({ pid: key.pid, out_trade_no: key.outTradeNo })));
      return db
        .select({ order: orders, shop: shopOrders })
        .from(shopOrders)
        .innerJoin(orders, eq(orders.id, shopOrders.orderId))
        .where(
          sql`(${shopOrders.pid}, ${shopOrders.outTradeNo}) in (
            select pid, out_trade_no from jsonb_to_recordset(${wanted}::jsonb) as k(pid text, out_trade_no text))`,
        );
    },
    /**
     * Throws a unique violation when a shop already has an order of one of these out_trade_nos. The rows go
     * as one JSON value: a batch's fifty rows as parameters cost more to build and bind than to insert.
     */
    async insertAll(rows: readonly NewShopOrder[]): Promise<void> {
      if (rows.length === 0) return;
      const values = JSON.stringify(
        rows.map((row) => ({
          order_id: row.orderId,
          pid: row.pid,
          out_trade_no: row.outTradeNo,
          type: row.type ?? null,
          name: row.name,
          money: row.money,
          param: row.param ?? null,
          notify_url: row.notifyUrl,
          return_url: row.returnUrl ?? null,
          client_ip: row.clientIp ?? null,
        })),
      );
      await db.execute(sql`insert into shop_orders
          (order_id, pid, out_trade_no, type, name, money, param, notify_url, return_url, client_ip)
        select * from jsonb_to_recordset(${values}::jsonb) as r(order_id bigint, pid text, out_trade_no text,
          type text, name text, money text, param text, notify_url text, return_url text, client_ip text)`);
    },
  };
}
