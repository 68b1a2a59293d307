// Admin commands over the Bot API double: refunds, adjustments, the review queue, stats, find and health —
// and customers who type them get nothing of it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { balanceOf, buttonData, ledgerOf, paymentIdOf, sleep } from './support/admin.ts';
import { customerOfUser } from './support/customers.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };

describe.each(DATABASE_KINDS)('admin commands on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newCustomer = (languageCode?: string) => ({ id: 50_000 + ++seq, firstName: 'Cu', languageCode });
  /** Sends an admin command and returns the admin's next message containing `marker`. */
  async function ask(text: string, marker: string) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendText(admin, text);
    return stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && stack.telegram.sent.indexOf(m) >= before && (m.text ?? '').includes(marker),
    );
  }
  async function creditedOrder(user: { id: number }, amount: string) {
    const { orderNo, payable } = await recharge(stack, user, amount);
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
    return orderNo;
  }

  it('refunds a credited order: a reversing ledger entry, the balance debited, the customer told', async () => {
    const user = newCustomer('en');
    const orderNo = await creditedOrder(user, '10');
    expect(await balanceOf(stack, user.id)).toBe(1000);

    const confirmation = await ask(`/refund ${orderNo} 客户要求退款`, '已退款');
    expect(confirmation.text).toContain('¥10.00');
    const told = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('refunded'),
    );
    expect(told.text).toContain(orderNo);
    expect(told.text).toContain('New balance ¥0.00');
    expect(await ledgerOf(stack, user.id)).toEqual([
      ['credit', 1000, null],
      ['refund', -1000, '客户要求退款'],
    ]);
    expect(await balanceOf(stack, user.id)).toBe(0);
    const [order] = await stack.rows<{ status: string }>(
      sql`select status from orders where order_no = ${orderNo}`,
    );
    expect(order?.status).toBe('refunded');
    const audit = await stack.rows<{ action: string }>(
      sql`select action from audit_log where customer_id = ${customerOfUser(user.id)}`,
    );
    expect(audit).toEqual([{ action: 'refund_order' }]);

    const again = await ask(`/refund ${orderNo}`, '只有已付订单可以退款');
    expect(again.text).toContain('refunded');
    expect(await ledgerOf(stack, user.id)).toHaveLength(2);
  });

  it('/adjust writes a ledger entry with its reason and tells the customer; never below zero', async () => {
    const user = newCustomer();
    await creditedOrder(user, '11');
    const confirmation = await ask(`/adjust ${user.id} -2.50 补偿 <测试>`, '余额调整');
    expect(confirmation.text).toContain('¥8.50');
    const told = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('余额调整'),
    );
    expect(told.text).toContain('补偿 &lt;测试&gt;');
    expect(await ledgerOf(stack, user.id)).toEqual([
      ['credit', 1100, null],
      ['adjustment', -250, '补偿 <测试>'],
    ]);

    const refused = await ask(`/adjust ${user.id} -100 too much`, '不够扣减');
    expect(refused.text).toContain('¥8.50');
    expect(await balanceOf(stack, user.id)).toBe(850);
    expect((await ask(`/adjust ${user.id} abc reason`, '用法')).text).toContain('/adjust');
    expect((await ask('/adjust 424242 5 gift', '没有用户')).text).toContain('424242');
    const audit = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'adjust' and customer_id = ${customerOfUser(user.id)}`,
    );
    expect(audit[0]?.n).toBe(1);
  });

  it('/pending lists the review queue oldest first, each payment as a card with its buttons', async () => {
    await stack.deliver(forwardedAlipayTransfer({ amount: '601.01' }));
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('¥601.01'));
    await stack.deliver(forwardedAlipayTransfer({ amount: '602.02' }));
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('¥602.02'));
    const before = stack.telegram.sent.length;

    const header = await ask('/pending', '待核对付款');
    await sleep(500);
    const cards = stack.telegram.sent
      .slice(before)
      .filter((m) => m.chatId === ADMIN_ID && m.id > header.id && (m.text ?? '').startsWith('🔎'));
    const ids = cards.map(paymentIdOf);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const amounts = cards.map((m) => /¥(60\d\.\d\d)/.exec(m.text ?? '')?.[1]).filter(Boolean);
    expect(amounts).toEqual(['601.01', '602.02']);
    for (const card of cards) expect(buttonData(card).join(' ')).toMatch(/approve:.*reject:.*refund:/);
  });

  it('answers /stats, /find and /health with the figures the admins need', async () => {
    const user = newCustomer();
    const orderNo = await creditedOrder(user, '12');
    const stats = await ask('/stats', '今天');
    expect(stats.text).toContain('最近 7 天');
    expect(stats.text).toMatch(/订单：新建 [1-9]\d*，已付 [1-9]/);
    expect(stats.text).toMatch(/自动匹配率：\d+%/);

    const found = await ask(`/find ${orderNo.toLowerCase()}`, orderNo);
    expect(found.text).toContain('paid');
    expect(found.text).toContain(String(user.id));
    expect(found.text).toContain('¥12.00');

    const health = await ask('/health', '运行状态');
    expect(health.text).toContain('邮箱：已连接');
    expect(health.text).toMatch(/最近一封邮件：\d{4}-/);
    expect(health.text).toMatch(/待发消息：\d+/);
    expect(health.text).toContain('余额与流水一致');
  });

  it('/health reports a broken ledger invariant', async () => {
    const user = newCustomer();
    await creditedOrder(user, '13');
    await stack.rows(
      sql`update customers set balance_fen = balance_fen + 1 where id = ${customerOfUser(user.id)}`,
    );
    const health = await ask('/health', '运行状态');
    expect(health.text).toContain('余额与流水不符');
    expect(health.text).toContain(String(user.id));
    await stack.rows(
      sql`update customers set balance_fen = balance_fen - 1 where id = ${customerOfUser(user.id)}`,
    );
  });

  it('gives customers none of the admin commands or cards', async () => {
    const user = newCustomer();
    const orderNo = await creditedOrder(user, '14');
    const adminBefore = stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID).length;
    const before = stack.telegram.sent.filter((m) => m.chatId === user.id).length;
    for (const text of ['/pending', '/stats', '/health', `/find ${orderNo}`, `/adjust ${user.id} 100 free`]) {
      stack.telegram.sendText(user, text);
    }
    stack.telegram.sendText(user, `/refund ${orderNo}`);
    stack.telegram.sendText(user, '/assign 1 2');
    stack.telegram.sendText(user, '/help');
    const help = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('/recharge'),
    );
    await sleep(800);
    const replies = stack.telegram.sent.filter((m) => m.chatId === user.id).slice(before);
    expect(replies).toEqual([help]);
    expect(help.text).not.toMatch(/pending|adjust|assign|stats|health/);
    expect(stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID)).toHaveLength(adminBefore);
    expect(await balanceOf(stack, user.id)).toBe(1400);
  });
});
