// Shop (EPay) orders on the Telegram side, end to end on both databases: a shop order paid by mail is credited
// to the shop and queues its notify (no Telegram customer's balance moves), review cards and /find show the
// shop's pid and out_trade_no, /find shows the notify's tries, and /stats counts shop orders apart.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardFor } from './support/admin.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { insertShopOrders } from './support/shop-orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const NOTIFY_URL = 'https://shop.example.test/epay/notify';
const admin = { id: ADMIN_ID, firstName: 'Admin' };

describe.each(DATABASE_KINDS)('shop orders on the Telegram side on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const db = () => {
    if (!stack.service) throw new Error('the service is not running');
    return stack.service.database.db;
  };
  async function ask(command: string, marker: string) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendText(admin, command);
    return stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && stack.telegram.sent.indexOf(m) >= before && (m.text ?? '').includes(marker),
    );
  }
  const telegramBalances = () =>
    stack.rows<{ external_id: string; balance_fen: number }>(
      sql`select external_id, balance_fen::int from customers where channel = 'telegram' order by id`,
    );

  it('credits a shop order paid by mail to the shop, queues its notify and moves no Telegram balance', async () => {
    const user = { id: 84_001, firstName: 'Tg' };
    const telegramOrder = await recharge(stack, user, '31');
    await insertShopOrders(db(), [
      {
        orderNo: 'SHPAAA22',
        payableFen: 3245,
        pid: '1001',
        outTradeNo: 'T-2026-0001',
        notifyUrl: NOTIFY_URL,
      },
    ]);

    await stack.deliver(forwardedAlipayTransfer({ amount: '32.45' }));

    const [order] = await waitRows(stack, 'SHPAAA22');
    expect(order).toEqual({ status: 'paid', payment_status: 'matched', channel: 'shop' });
    const ledger = await stack.rows<{ channel: string; external_id: string; amount_fen: number }>(
      sql`select c.channel, c.external_id, l.amount_fen::int from ledger_entries l
          join customers c on c.id = l.customer_id order by l.id`,
    );
    expect(ledger).toEqual([{ channel: 'shop', external_id: '1001', amount_fen: 3245 }]);
    expect(await telegramBalances()).toEqual([{ external_id: String(user.id), balance_fen: 0 }]);
    const notifies = await stack.rows<{ kind: string; n: number }>(
      sql`select d.kind, count(*)::int as n from web_deliveries d join orders o on o.id = d.order_id
          where o.order_no = 'SHPAAA22' group by d.kind`,
    );
    expect(notifies).toEqual([{ kind: 'shop_notify', n: 1 }]);
    const [pending] = await stack.rows<{ status: string }>(
      sql`select status from orders where order_no = ${telegramOrder.orderNo}`,
    );
    expect(pending?.status).toBe('pending');
  });

  it('shows the shop’s pid and out_trade_no on the review card of a payment naming a shop order', async () => {
    await insertShopOrders(db(), [
      { orderNo: 'SHPBBB33', payableFen: 4100, pid: '1002', outTradeNo: 'T<b>-0002', notifyUrl: NOTIFY_URL },
    ]);
    await stack.deliver(forwardedAlipayTransfer({ amount: '40.00', memo: 'SHPBBB33' }));
    const card = await cardFor(stack, ADMIN_ID, 'SHPBBB33');
    expect(card.text).toContain('金额与订单不符');
    // The shop's own strings are shown as text, never as markup.
    expect(card.text).toContain('商户订单：pid 1002 · out_trade_no T&lt;b&gt;-0002');
  });

  it('answers /find of a shop order with the shop and the notify’s tries, last outcome and time', async () => {
    const [orderId] = await insertShopOrders(db(), [
      { orderNo: 'SHPCCC44', payableFen: 5000, pid: '1003', outTradeNo: 'T-0003', notifyUrl: NOTIFY_URL },
    ]);
    const unpaid = await ask('/find SHPCCC44', 'SHPCCC44');
    expect(unpaid.text).toContain('商户订单：pid 1003 · out_trade_no T-0003');
    expect(unpaid.text).toContain('通知商户：尚未排队');

    await stack.rows(sql`update orders set status = 'paid', closed_at = now() where id = ${orderId}`);
    // A delivery given up after two tries (the delivery loop leaves failed ones alone).
    const [delivery] = await stack.rows<{ id: number }>(
      sql`insert into web_deliveries (kind, order_id, status, attempts)
          values ('shop_notify', ${orderId}, 'failed', 2) returning id`,
    );
    await stack.rows(
      sql`insert into web_delivery_attempts (delivery_id, at, duration_ms, http_status, outcome, detail) values
          (${delivery?.id}, '2026-11-20T04:00:00Z', 5000, null, 'timeout', null),
          (${delivery?.id}, '2026-11-20T04:05:07Z', 40, 500, 'http_error', 'Internal error')`,
    );
    const found = await ask('/find SHPCCC44', '已尝试');
    expect(found.text).toContain(
      '通知商户：已放弃，已尝试 2 次；最近一次 2026-11-20 12:05:07 HTTP 错误 (HTTP 500)',
    );

    stack.telegram.sendText(admin, '/lang en');
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('English'));
    const english = await ask('/find SHPCCC44', 'tries');
    expect(english.text).toContain('Shop order: pid 1003 · out_trade_no T-0003');
    expect(english.text).toContain(
      'Shop notify: given up, 2 tries; last 2026-11-20 12:05:07 HTTP error (HTTP 500)',
    );
    stack.telegram.sendText(admin, '/lang zh');
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('中文'));
  });

  it('counts Telegram orders and shop orders apart in /stats', async () => {
    const stats = await ask('/stats', '今天');
    const today = (stats.text ?? '').split('最近 7 天')[0] ?? '';
    // One /recharge order (pending); three shop orders, two paid (by mail, and by hand above).
    expect(today).toContain('Telegram 订单：新建 1，已付 0，过期 0');
    expect(today).toContain('商户订单：新建 3，已付 2，过期 0');
  });
});

/** The shop order's row once its payment is recorded. */
async function waitRows(stack: Stack, orderNo: string) {
  for (let i = 0; i < 200; i++) {
    const rows = await stack.rows<{ status: string; payment_status: string; channel: string }>(
      sql`select o.status, p.status as payment_status, c.channel from orders o
          join payments p on p.order_id = o.id join customers c on c.id = o.customer_id
          where o.order_no = ${orderNo}`,
    );
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const all = await stack.rows(
    sql`select id, parse_kind, parse_rule_id, status, review_reason, amount_fen, auth_result, auth_detail from payments`,
  );
  throw new Error(`no payment recorded for ${orderNo}: ${JSON.stringify(all)}`);
}
