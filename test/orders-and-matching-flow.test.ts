// Orders and matching end to end — Bot API double, real Dovecot, DKIM-signed notifications, both databases:
// a scan-to-pay payment matched by amount alone, one matching nothing, one arriving after its order
// expired; the expiry sweep; /orders and /cancel.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckInvariants } from '../src/modules/ledger/check-invariants.ts';
import { createExpireOrders } from '../src/modules/orders/expire-orders.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { customerOfUser } from './support/customers.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { manualClock } from './support/use-case-database.ts';

const ORDER_NO = /<code>([A-Z2-9]{8})<\/code>/;
const PAYABLE = /<b>¥(\d+\.\d{2})<\/b>/;

describe.each(DATABASE_KINDS)('orders and matching on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { ORDER_TTL_SECONDS: '600' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newCustomer = (languageCode?: string) => ({ id: 60_000 + ++seq, firstName: 'Cai', languageCode });
  const db = () => {
    if (!stack.service) throw new Error('the service is not running');
    return stack.service.database.db;
  };
  const messagesTo = (chatId: number) => stack.telegram.sent.filter((m) => m.chatId === chatId);

  async function recharge(user: { id: number }, amount: string) {
    const before = messagesTo(user.id).length;
    stack.telegram.sendText(user, `/recharge ${amount}`);
    const photo = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && m.method === 'sendPhoto' && messagesTo(user.id).indexOf(m) >= before,
    );
    const orderNo = ORDER_NO.exec(photo.caption ?? '')?.[1] ?? '';
    const payable = PAYABLE.exec(photo.caption ?? '')?.[1] ?? '';
    return { photo, orderNo, payable };
  }
  async function paymentRow(orderNo: string | null, amountFen: number) {
    const rows = await stack.rows<{ status: string; review_reason: string | null; order_no: string | null }>(
      sql`select p.status, p.review_reason, o.order_no from payments p left join orders o on o.id = p.order_id
          where p.amount_fen = ${amountFen} order by p.id desc limit 1`,
    );
    expect(rows[0]?.order_no ?? null).toBe(orderNo);
    return rows[0];
  }

  it('credits a payment without memo to the one pending order whose payable amount it equals', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(user, '23');
    expect(payable).toBe('23.00');

    await stack.deliver(forwardedAlipayTransfer({ amount: payable }));

    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('✅'),
    );
    expect(credited.text).toContain(orderNo);
    expect(credited.text).toContain('¥23.00');
    expect(await paymentRow(orderNo, 2300)).toMatchObject({ status: 'matched' });
    const ledger = await stack.rows<{ amount_fen: string }>(
      sql`select amount_fen from ledger_entries where customer_id = ${customerOfUser(user.id)}`,
    );
    expect(ledger.map((entry) => Number(entry.amount_fen))).toEqual([2300]);
    expect(await createCheckInvariants({ db: db() })()).toMatchObject({ ok: true });
  });

  it('credits the amount asked for when the payable amount was moved a fen down', async () => {
    const first = newCustomer();
    const second = newCustomer();
    await recharge(first, '27');
    const { orderNo, payable } = await recharge(second, '27');
    expect(payable).toBe('26.99');

    await stack.deliver(forwardedAlipayTransfer({ amount: payable }));

    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === second.id && (m.text ?? '').includes('✅'),
    );
    expect(credited.text).toContain(orderNo);
    expect(credited.text).toContain('¥27.00');
    expect(messagesTo(first.id).filter((m) => (m.text ?? '').includes('✅'))).toHaveLength(0);
  });

  it('sends a payment without memo that equals no pending amount to review as unmatched', async () => {
    const adminBefore = messagesTo(ADMIN_ID).length;
    await stack.deliver(forwardedAlipayTransfer({ amount: '24.37' }));

    const alert = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && messagesTo(ADMIN_ID).indexOf(m) >= adminBefore,
    );
    expect(alert.text).toContain('¥24.37');
    expect(await paymentRow(null, 2437)).toMatchObject({ status: 'review', review_reason: 'unmatched' });
    const [credits] = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from ledger_entries l join orders o on o.id = l.order_id where o.payable_fen = 2437`,
    );
    expect(credits?.n).toBe(0);
  });

  it('sends a payment arriving after its order expired to review as late, naming the order', async () => {
    const user = newCustomer('en');
    const { orderNo, payable } = await recharge(user, '25');
    // The order was made 20 minutes ago and expired 10 minutes ago; the sweep runs now.
    await stack.rows(
      sql`update orders set created_at = now() - interval '20 minutes', expires_at = now() - interval '10 minutes'
          where order_no = ${orderNo}`,
    );
    expect(
      await createExpireOrders({
        transaction: transactionOf(db()),
        clock: manualClock(new Date()),
        onQueued: () => {},
      })(),
    ).toEqual([orderNo]);
    const expired = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('expired'),
    );
    expect(expired.text).toContain(orderNo);

    await stack.deliver(forwardedAlipayTransfer({ amount: payable }));

    const alert = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(orderNo),
    );
    expect(alert.text).toContain('¥25.00');
    expect(await paymentRow(orderNo, 2500)).toMatchObject({ status: 'review', review_reason: 'late' });
    expect(messagesTo(user.id).filter((m) => (m.text ?? '').includes('✅'))).toHaveLength(0);
  });

  it('expires an order on the sweep: tells the customer and a new order can take its amount', async () => {
    const owner = newCustomer();
    const { orderNo, payable } = await recharge(owner, '26');
    expect(payable).toBe('26.00');
    const [order] = await stack.rows<{ expires_at: string | Date }>(
      sql`select expires_at from orders where order_no = ${orderNo}`,
    );
    const expiresAt = new Date(order?.expires_at ?? 0);

    const sweep = (at: Date) =>
      createExpireOrders({ transaction: transactionOf(db()), clock: manualClock(at), onQueued: () => {} })();
    expect(await sweep(expiresAt)).not.toContain(orderNo);
    expect(await sweep(new Date(expiresAt.getTime() + 1000))).toContain(orderNo);

    const notice = await stack.telegram.waitFor(
      (m) => m.chatId === owner.id && (m.text ?? '').includes('过期'),
    );
    expect(notice.text).toContain(orderNo);
    const next = await recharge(newCustomer(), '26');
    expect(next.payable).toBe('26.00');
  });

  it('lists the latest orders on /orders with their status', async () => {
    const user = newCustomer('en');
    stack.telegram.sendText(user, '/orders');
    const none = await stack.telegram.waitFor((m) => m.chatId === user.id);
    expect(none.text).toContain('no orders');

    const { orderNo } = await recharge(user, '28');
    stack.telegram.sendText(user, '/orders');
    const list = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').startsWith('Your latest orders'),
    );
    expect(list.parseMode).toBe('HTML');
    expect(list.text).toMatch(
      new RegExp(
        `<code>${orderNo}</code> ¥28\\.00 · unpaid · created \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d · pay before`,
      ),
    );
  });

  it('cancels all pending orders on /cancel and frees their amounts', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(user, '29');
    expect(payable).toBe('29.00');
    stack.telegram.sendText(user, '/cancel');
    const cancelled = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('已取消'),
    );
    expect(cancelled.text).toContain(orderNo);

    const next = await recharge(newCustomer(), '29');
    expect(next.payable).toBe('29.00');
    stack.telegram.sendText(user, '/cancel');
    const nothing = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('没有待付款'),
    );
    expect(nothing.method).toBe('sendMessage');
  });
});
