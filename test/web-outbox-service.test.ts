// The HTTP outbox in the whole service: a payment mailed in credits a shop order and the shop hears of it over
// real HTTP; a hanging shop delays neither crediting nor another shop; /renotify sends a paid order's notify again.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/shared/db/database.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { type ShopDouble, startShopDouble } from './support/shop-double.ts';
import { insertShopOrders } from './support/shop-orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { SHOP_KEY, SHOP_PID, tradeNo } from './support/web-outbox.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };
const [HANGING, OTHER, RESENT, UNPAID] = [0, 1, 2, 3].map((i) => tradeNo('KSVCW', i)) as [
  string,
  string,
  string,
  string,
];
const amountOf = (fen: number) => (fen / 100).toFixed(2);

describe.each(DATABASE_KINDS)('shop notifies in the service on %s', (kind) => {
  let stack: Stack;
  let hanging: ShopDouble;
  let shop: ShopDouble;
  beforeAll(async () => {
    [hanging, shop] = await Promise.all([startShopDouble(SHOP_KEY), startShopDouble(SHOP_KEY)]);
    hanging.script = () => 'hang';
    stack = await startStack(kind, {
      MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
      PUBLIC_URL: 'https://pay.example.com',
      ALLOW_PRIVATE_NOTIFY: 'true',
    });
    // The orders go in before the service holds the database (PGlite is one process's).
    const setup = await openDatabase({
      url: stack.database.env.DATABASE_URL,
      dataDir: stack.database.env.DATA_DIR,
    });
    await insertShopOrders(setup.db, [
      { orderNo: HANGING, payableFen: 2001, notifyUrl: hanging.notifyUrl() },
      { orderNo: OTHER, payableFen: 2002, notifyUrl: shop.notifyUrl() },
      { orderNo: RESENT, payableFen: 2003, notifyUrl: shop.notifyUrl() },
      { orderNo: UNPAID, payableFen: 2004, notifyUrl: shop.notifyUrl() },
    ]);
    await setup.close();
    await stack.startService({ tuning: { webOutbox: { timeoutMs: 30_000, retryDelaysMs: [100, 100] } } });
  });
  afterAll(async () => {
    await stack?.dispose();
    await Promise.all([hanging?.close(), shop?.close()]);
  });

  const pay = (orderNo: string, fen: number) =>
    stack.deliver(forwardedAlipayTransfer({ amount: amountOf(fen), memo: `充值${orderNo}` }));
  const statusOf = async (orderNo: string) =>
    (await stack.rows<{ status: string }>(sql`select status from orders where order_no = ${orderNo}`))[0]
      ?.status;
  const notifiesOf = (double: ShopDouble, orderNo: string) =>
    double.requests.filter((r) => r.params.trade_no === orderNo);
  async function ask(text: string, marker: string) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendText(admin, text);
    return stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && stack.telegram.sent.indexOf(m) >= before && (m.text ?? '').includes(marker),
    );
  }

  it('credits and notifies another shop while one shop hangs on its notify', async () => {
    await pay(HANGING, 2001);
    await eventually(async () => (notifiesOf(hanging, HANGING).length === 1 ? true : undefined));
    await pay(OTHER, 2002);
    await eventually(async () => (shop.successes(`SHOP-${OTHER}`) === 1 ? true : undefined));
    expect(await statusOf(OTHER)).toBe('paid');
    expect(await statusOf(HANGING)).toBe('paid');
    expect(notifiesOf(shop, OTHER)[0]?.verified).toBe(true);
    // The hanging shop's notify is still on its way: no try recorded yet.
    const tries = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from web_delivery_attempts a join web_deliveries d on d.id = a.delivery_id
          join orders o on o.id = d.order_id where o.order_no = ${HANGING}`,
    );
    expect(tries[0]?.n).toBe(0);
  });

  it('/renotify sends a paid shop order’s notify again, and explains when it cannot', async () => {
    await pay(RESENT, 2003);
    await eventually(async () => (shop.successes(`SHOP-${RESENT}`) === 1 ? true : undefined));
    await ask(`/renotify ${RESENT.toLowerCase()}`, '重新排队');
    await eventually(async () => (shop.successes(`SHOP-${RESENT}`) === 2 ? true : undefined));
    expect(notifiesOf(shop, RESENT).every((r) => r.verified)).toBe(true);
    // The same delivery, pending again with its tries reset, then delivered by the one new try.
    const delivered = async () => {
      const [row] = await stack.rows<{ n: number; attempts: number; status: string }>(
        sql`select count(*)::int as n, max(d.attempts)::int as attempts, max(d.status) as status from web_deliveries d
          join orders o on o.id = d.order_id where o.order_no = ${RESENT}`,
      );
      return row?.status === 'delivered' ? row : undefined;
    };
    expect(await eventually(delivered)).toEqual({ n: 1, attempts: 1, status: 'delivered' });

    expect((await ask('/renotify ZZZZZZZZ', 'ZZZZZZZZ')).text).toContain('没有订单');
    expect((await ask(`/renotify ${UNPAID}`, UNPAID)).text).toContain('只有已付订单');
    const { orderNo: botOrder } = await recharge(stack, { id: 60_001, firstName: 'Cu' }, '5');
    expect((await ask(`/renotify ${botOrder}`, botOrder)).text).toContain('不是商户');
    expect((await ask('/renotify', '用法')).text).toContain('/renotify 订单号');
    expect(notifiesOf(shop, UNPAID)).toHaveLength(0);
  });
});
