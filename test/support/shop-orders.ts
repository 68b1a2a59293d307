// Shop (EPay) orders straight in the database, for tests of what happens after creation (notifies, the checkout
// page) that do not go through /mapi.php. The shop is a customer of channel `shop` whose external id is its pid.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/shared/db/database.ts';
import { customers, orders, shopOrders } from '../../src/shared/db/schema.ts';

export interface ShopOrderSpec {
  orderNo: string;
  payableFen: number;
  pid?: string;
  outTradeNo?: string;
  /** `money` as the shop sent it; by default the payable amount in yuan. */
  money?: string;
  name?: string;
  param?: string | null;
  notifyUrl: string;
  returnUrl?: string | null;
  type?: 'alipay' | 'wxpay' | null;
  expiresAt?: Date;
}

/** Inserts pending shop orders; returns their order ids, in order. */
export async function insertShopOrders(
  db: Database['db'],
  specs: readonly ShopOrderSpec[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    const pid = spec.pid ?? '1001';
    const [shop] = await db
      .insert(customers)
      .values({ channel: 'shop', externalId: pid })
      .onConflictDoUpdate({
        target: [customers.channel, customers.externalId],
        set: { externalId: sql`excluded.external_id` },
      })
      .returning({ id: customers.id });
    const type = spec.type === undefined ? 'alipay' : spec.type;
    const [order] = await db
      .insert(orders)
      .values({
        orderNo: spec.orderNo,
        customerId: idOf(shop),
        requestedFen: spec.payableFen,
        payableFen: spec.payableFen,
        provider: type === 'wxpay' ? 'wechat' : type === 'alipay' ? 'alipay' : null,
        expiresAt: spec.expiresAt ?? new Date(Date.now() + 3_600_000),
      })
      .returning({ id: orders.id });
    await db.insert(shopOrders).values({
      orderId: idOf(order),
      pid,
      outTradeNo: spec.outTradeNo ?? `SHOP-${spec.orderNo}`,
      type,
      name: spec.name ?? 'VIP 月卡',
      money: spec.money ?? (spec.payableFen / 100).toFixed(2),
      param: spec.param ?? null,
      notifyUrl: spec.notifyUrl,
      returnUrl: spec.returnUrl ?? null,
    });
    ids.push(idOf(order));
  }
  return ids;
}

function idOf(row: { id: number } | undefined): number {
  if (!row) throw new Error('insert returned no row');
  return row.id;
}
