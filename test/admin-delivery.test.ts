// Delivery through the outbox under Bot API trouble: 429 and 500 on sendMessage, editMessageText and sendPhoto
// still deliver every message exactly once; a customer who blocked the bot is given up and reported.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardFor, editOf, paymentIdOf, sleep } from './support/admin.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('outbox delivery on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const admin = { id: ADMIN_ID, firstName: 'Ada' };
  const failedCalls = (method: string) =>
    stack.telegram.calls.filter((c) => c.method === method && c.status >= 400).map((c) => c.status);

  it('delivers a card, its edit and an order photo exactly once through 500s and 429s', async () => {
    const user = { id: 40_001, firstName: 'Cu' };
    stack.telegram.failNext('sendPhoto', 1, { status: 429, retryAfter: 1 });
    stack.telegram.failNext('sendPhoto', 1, { status: 500 });
    const { orderNo } = await recharge(stack, user, '33');
    expect(failedCalls('sendPhoto')).toEqual([429, 500]);

    stack.telegram.failNext('sendMessage', 1, { status: 500 });
    stack.telegram.failNext('sendMessage', 1, { status: 429, retryAfter: 1 });
    await stack.deliver(forwardedAlipayTransfer({ amount: '1.23', memo: orderNo }));
    const card = await cardFor(stack, ADMIN_ID, orderNo);
    expect(failedCalls('sendMessage')).toEqual([500, 429]);

    stack.telegram.failNext('editMessageText', 1, { status: 429, retryAfter: 1 });
    stack.telegram.failNext('editMessageText', 1, { status: 500 });
    stack.telegram.pressButton(admin, card, `reject:${paymentIdOf(card)}`);
    const edit = await editOf(stack, card);
    expect(edit.text).toContain('已拒绝');
    expect(failedCalls('editMessageText')).toEqual([429, 500]);

    await sleep(2_500);
    const toUser = stack.telegram.sent.filter((m) => m.chatId === user.id);
    expect(toUser.filter((m) => m.method === 'sendPhoto')).toHaveLength(1);
    const toAdmin = stack.telegram.sent.filter(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(orderNo),
    );
    expect(toAdmin.filter((m) => m.method === 'sendMessage')).toHaveLength(1);
    expect(toAdmin.filter((m) => m.method === 'editMessageText')).toHaveLength(1);
  });

  it('gives up on a customer who blocked the bot, without retrying, and tells the admins', async () => {
    const user = { id: 40_002, firstName: 'Gone' };
    stack.telegram.failNext('sendPhoto', 1, {
      status: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    stack.telegram.sendText(user, '/recharge 34');
    const report = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(`发给 ${user.id} 的消息无法送达`),
    );
    expect(report.text).toContain('blocked');
    await sleep(2_500);
    expect(stack.telegram.calls.filter((c) => c.method === 'sendPhoto' && c.status === 403)).toHaveLength(1);
    expect(stack.telegram.sent.filter((m) => m.chatId === user.id)).toHaveLength(0);
  });
});
