// The checkout page's reads: a shop order by its number (trade_no), with what the shop sent.
import { eq, type Placeholder, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { orders, shopOrders } from '../../shared/db/schema.ts';
import type { CheckoutOrder } from './checkout.models.ts';

export function createCheckoutRepository({ db }: { db: Db }) {
  const select = (orderNo: string | Placeholder) =>
    db
      .select({
        id: orders.id,
        orderNo: orders.orderNo,
        status: orders.status,
        requestedFen: orders.requestedFen,
        payableFen: orders.payableFen,
        provider: orders.provider,
        expiresAt: orders.expiresAt,
        pid: shopOrders.pid,
        outTradeNo: shopOrders.outTradeNo,
        type: shopOrders.type,
        name: shopOrders.name,
        money: shopOrders.money,
        param: shopOrders.param,
        returnUrl: shopOrders.returnUrl,
      })
      .from(orders)
      .innerJoin(shopOrders, eq(shopOrders.orderId, orders.id))
      .where(eq(orders.orderNo, orderNo));
  // Open pages ask for their order's status four times a second each: the query is built once, not per ask
  // (building drizzle's select cost more than running it).
  let prepared: ReturnType<typeof preparedFind> | undefined;
  const preparedFind = () => select(sql.placeholder('orderNo')).prepare('checkout_find_shop_order');
  return {
    async findShopOrder(orderNo: string): Promise<CheckoutOrder | null> {
      prepared ??= preparedFind();
      const [row] = await prepared.execute({ orderNo });
      return row ?? null;
    },
    /** The same, its order row locked until the transaction ends (the payer's choice of provider). */
    async lockShopOrder(orderNo: string): Promise<CheckoutOrder | null> {
      const [row] = await select(orderNo).for('update', { of: orders });
      return row ?? null;
    },
  };
}
