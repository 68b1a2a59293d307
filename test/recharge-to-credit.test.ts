// The first complete path, end to end: /recharge → QR photo → DKIM-signed notification in IMAP → credit.
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerOfUser } from './support/customers.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, PAYEE_QR_URL, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

// jsqr is CommonJS with an ES-style `default` in its types; under NodeNext the function sits on `.default`.
const jsQR = jsQRModule.default;

const ORDER_NO = /<code>([A-Z2-9]{8})<\/code>/;

describe.each(DATABASE_KINDS)('recharge to credit on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let userSeq = 0;
  const newCustomer = () => ({ id: 70_000 + ++userSeq + (kind === 'pglite' ? 500 : 0), firstName: 'Ann' });

  it('answers /recharge 10 with one photo: the payee QR code, the order number and the amount to pay', async () => {
    const user = newCustomer();
    const { photo, payable } = await recharge(stack, user, '10');

    const png = PNG.sync.read(photo.photo?.bytes ?? Buffer.alloc(0));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(PAYEE_QR_URL);
    expect(photo.parseMode).toBe('HTML');
    expect(photo.caption).toMatch(ORDER_NO);
    expect(payable).toBe('10.00');
    const button = photo.replyMarkup?.inline_keyboard?.[0]?.[0];
    expect(button?.callback_data).toMatch(/^cancel:[A-Z2-9]{8}$/);
    expect(stack.telegram.sent.filter((m) => m.chatId === user.id)).toHaveLength(1);
  });

  it('credits a DKIM-signed notification naming the order, tells the customer, and shows the balance', async () => {
    const user = newCustomer();
    // The first test's order still holds ¥10.00, so this one pays a fen less: the customer gets ¥10.00.
    const { orderNo, payable } = await recharge(stack, user, '10');
    expect(payable).toBe('9.99');

    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: `充值-${orderNo}` }));

    const credited = await stack.telegram.waitFor((m) => m.chatId === user.id && m.method === 'sendMessage');
    expect(credited.text).toContain(orderNo);
    expect(credited.text).toContain('¥10.00');
    stack.telegram.sendText(user, '/balance');
    const balance = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && m.method === 'sendMessage' && m.id !== credited.id,
    );
    expect(balance.text).toContain('¥10.00');
  });

  it('credits nothing for an unsigned copy of such a notification and tells the admins', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '12');
    const adminMessagesBefore = stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID).length;

    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }), { signed: false });

    const alert = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(orderNo) && (m.text ?? '').includes('认证'),
    );
    expect(alert.text).toContain('¥12.00');
    expect(stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID).length).toBe(adminMessagesBefore + 1);
    const checking = await stack.telegram.waitFor((m) => m.chatId === user.id && m.method === 'sendMessage');
    expect(checking.text).toContain('核对');
    stack.telegram.sendText(user, '/balance');
    const balance = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && m.method === 'sendMessage' && m.id !== checking.id,
    );
    expect(balance.text).toContain('¥0.00');
  });

  it('credits once, after start, a notification that arrived while the service was stopped', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '15');
    await stack.stopService();

    const mail = forwardedAlipayTransfer({ amount: payable, memo: orderNo });
    await stack.deliver(mail);
    await stack.startService();

    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('¥15.00'),
    );
    expect(credited.text).toContain(orderNo);
    // A restart replays nothing: still exactly one credit message and one ledger entry.
    await stack.stopService();
    await stack.startService();
    stack.telegram.sendText(user, '/balance');
    const balance = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('余额'),
    );
    expect(balance.text).toContain('¥15.00');
    expect(
      stack.telegram.sent.filter((m) => m.chatId === user.id && (m.text ?? '').includes('✅')),
    ).toHaveLength(1);
    const ledger = await stack.rows<{ kind: string; amount_fen: string }>(
      sql`select kind, amount_fen from ledger_entries where customer_id = ${customerOfUser(user.id)}`,
    );
    expect(ledger.map((entry) => [entry.kind, Number(entry.amount_fen)])).toEqual([['credit', 1500]]);
  });
});
