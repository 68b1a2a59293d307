// Review cards end to end: every admin gets one, each button settles the payment once, and every card shows it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_2,
  balanceOf,
  buttonData,
  cardFor,
  editOf,
  ledgerOf,
  paymentIdOf,
  paymentRow,
  sleep,
} from './support/admin.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin1 = { id: ADMIN_ID, firstName: 'Ada', username: 'ada_admin' };
const admin2 = { id: ADMIN_2, firstName: 'Bea' };

describe.each(DATABASE_KINDS)('review cards on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { ADMIN_CHAT_IDS: `${ADMIN_ID},${ADMIN_2}` });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newCustomer = (languageCode?: string) => ({ id: 60_000 + ++seq, firstName: 'Cu', languageCode });
  const customerMessages = (id: number) =>
    stack.telegram.sent.filter((m) => m.chatId === id && m.method === 'sendMessage');

  /** A notification naming `orderNo` whose amount differs from the order's: held for review. */
  async function mismatchedPayment(orderNo: string, amount: string, payer = '李四') {
    await stack.deliver(forwardedAlipayTransfer({ amount, memo: orderNo, payer }));
    return cardFor(stack, ADMIN_ID, orderNo);
  }

  it('sends every admin one card with the facts, the reason in words and approve / reject / refund buttons', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '12');
    await stack.deliver(
      // The forwarder's body is HTML: these entities are what the payer and memo read as.
      forwardedAlipayTransfer({
        amount: '12.00',
        memo: `&lt;b&gt;${orderNo}&lt;/b&gt; &amp; co`,
        payer: '&lt;Eve&gt;',
      }),
      { signed: false },
    );
    const card = await cardFor(stack, ADMIN_ID, orderNo);
    const other = await cardFor(stack, ADMIN_2, orderNo);
    expect(other.text).toBe(card.text);
    expect(card.parseMode).toBe('HTML');
    expect(card.text).toContain('<b>¥12.00</b>');
    expect(card.text).toContain('支付宝');
    expect(card.text).toContain('付款人：&lt;Eve&gt;');
    expect(card.text).toContain(`备注：&lt;b&gt;${orderNo}&lt;/b&gt; &amp; co`);
    expect(card.text).toContain('未通过邮件认证');
    expect(card.text).toMatch(/时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const id = paymentIdOf(card);
    expect(buttonData(card)).toEqual([`approve:${id}`, `reject:${id}`, `refund:${id}`]);
    const cards = stack.telegram.sent.filter((m) => (m.text ?? '').includes(`付款 #${id} `));
    expect(cards.map((m) => m.chatId).sort()).toEqual([ADMIN_ID, ADMIN_2]);
  });

  it('approve credits the amount actually paid to the order the payment names and edits every card', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '20');
    const card = await mismatchedPayment(orderNo, '19.50');
    expect(card.text).toContain('金额与订单不符');
    const id = paymentIdOf(card);

    stack.telegram.pressButton(admin1, card, `approve:${id}`);
    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('✅'),
    );
    expect(credited.text).toContain(orderNo);
    expect(credited.text).toContain('¥19.50');
    expect(await balanceOf(stack, user.id)).toBe(1950);
    expect(await ledgerOf(stack, user.id)).toEqual([['credit', 1950, null]]);

    const [edit1, edit2] = await Promise.all([
      editOf(stack, card),
      editOf(stack, await cardFor(stack, ADMIN_2, orderNo)),
    ]);
    for (const edit of [edit1, edit2]) {
      expect(edit.text).toContain('已批准入账：@ada_admin');
      expect(edit.text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
      expect(edit.text).toContain(`订单 <code>${orderNo}</code>`);
      expect(edit.replyMarkup).toBeUndefined();
    }
    expect(await paymentRow(stack, id)).toMatchObject({ status: 'matched', decided_by: ADMIN_ID });
    const [order] = await stack.rows<{ status: string }>(
      sql`select status from orders where order_no = ${orderNo}`,
    );
    expect(order?.status).toBe('paid');
    const audit = await stack.rows<{ action: string; actor_id: number; amount_fen: number }>(
      sql`select action, actor_id::int as actor_id, amount_fen::int as amount_fen from audit_log where payment_id = ${id}`,
    );
    expect(audit).toEqual([{ action: 'approve', actor_id: ADMIN_ID, amount_fen: 1950 }]);
  });

  it('reject credits nothing, closes the payment and shows who rejected it', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '21');
    const card = await mismatchedPayment(orderNo, '1.00');
    const id = paymentIdOf(card);
    stack.telegram.pressButton(admin2, await cardFor(stack, ADMIN_2, orderNo), `reject:${id}`);
    const edit = await editOf(stack, card);
    expect(edit.text).toContain('已拒绝：Bea');
    expect(await paymentRow(stack, id)).toMatchObject({ status: 'rejected', decided_by: ADMIN_2 });
    expect(await balanceOf(stack, user.id)).toBe(0);
    expect(await ledgerOf(stack, user.id)).toEqual([]);
  });

  it('refund credits nothing and records who returned the money to the payer', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '22');
    const card = await mismatchedPayment(orderNo, '2.00');
    const id = paymentIdOf(card);
    stack.telegram.pressButton(admin1, card, `refund:${id}`);
    const edit = await editOf(stack, await cardFor(stack, ADMIN_2, orderNo));
    expect(edit.text).toContain('已标记为退回付款人：@ada_admin');
    expect(await paymentRow(stack, id)).toMatchObject({ status: 'refunded', decided_by: ADMIN_ID });
    expect(await ledgerOf(stack, user.id)).toEqual([]);
    const audit = await stack.rows<{ action: string }>(
      sql`select action from audit_log where payment_id = ${id}`,
    );
    expect(audit).toEqual([{ action: 'refund' }]);
  });

  it('offers the likely orders as buttons when no order is clear, and one press credits that order', async () => {
    const user = newCustomer('en');
    const { orderNo, payable } = await recharge(stack, user, '30');
    expect(payable).toBe('30.00');
    // A scan-to-pay notification (no memo) for 5 fen more than any order: unmatched.
    await stack.deliver(forwardedAlipayTransfer({ amount: '30.05' }));
    const card = await cardFor(stack, ADMIN_ID, '¥30.05');
    expect(card.text).toContain('没有对应的订单');
    const id = paymentIdOf(card);
    expect(buttonData(card)).toContain(`approve:${id}:${orderNo}`);

    stack.telegram.pressButton(admin1, card, `approve:${id}:${orderNo}`);
    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('credited'),
    );
    expect(credited.text).toContain('¥30.05');
    expect(await ledgerOf(stack, user.id)).toEqual([['credit', 3005, null]]);
  });

  it('answers approve with the /assign hint when no order fits, and /assign credits an order or a customer', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '40');
    await stack.deliver(forwardedAlipayTransfer({ amount: '777.77' }));
    const card = await cardFor(stack, ADMIN_ID, '¥777.77');
    const id = paymentIdOf(card);
    expect(buttonData(card)).toEqual([`approve:${id}`, `reject:${id}`, `refund:${id}`]);
    stack.telegram.pressButton(admin1, card, `approve:${id}`);
    const hint = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(`/assign ${id}`),
    );
    expect(hint.text).toContain('用户ID');
    expect((await paymentRow(stack, id))?.status).toBe('review');

    stack.telegram.sendText(admin1, `/assign ${id} ${user.id}`);
    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('核对入账'),
    );
    expect(credited.text).toContain('¥777.77');
    expect(await paymentRow(stack, id)).toMatchObject({ status: 'matched', order_id: null });
    await editOf(stack, card);

    await stack.deliver(forwardedAlipayTransfer({ amount: '888.88' }));
    const second = paymentIdOf(await cardFor(stack, ADMIN_ID, '¥888.88'));
    stack.telegram.sendText(admin1, `/assign ${second} ${orderNo.toLowerCase()}`);
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes(orderNo));
    expect(await ledgerOf(stack, user.id)).toEqual([
      ['credit', 77777, null],
      ['credit', 88888, null],
    ]);
    const actions = await stack.rows<{ action: string }>(
      sql`select action from audit_log where payment_id in (${id}, ${second}) order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['assign', 'assign']);
  });

  it('ignores a non-admin press, forged callback data and a callback naming another payment', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '23');
    const card = await mismatchedPayment(orderNo, '3.00');
    const id = paymentIdOf(card);
    const { orderNo: otherNo } = await recharge(stack, newCustomer(), '24');
    const otherId = paymentIdOf(await mismatchedPayment(otherNo, '4.00'));
    const answersBefore = stack.telegram.callbackAnswers.length;

    // A customer replays the admin's card data, on the admin's message and on their own.
    stack.telegram.injectCallback(user, card, `approve:${id}`);
    const own = stack.telegram.sent.find((m) => m.chatId === user.id && m.method === 'sendPhoto');
    if (!own) throw new Error('no photo');
    stack.telegram.injectCallback(user, own, `approve:${id}`);
    // An admin's client sends data naming another payment, or nothing a card ever carried.
    stack.telegram.injectCallback(admin1, card, `approve:${otherId}`);
    stack.telegram.injectCallback(admin1, card, `refund:${id}:${otherNo}`);
    stack.telegram.injectCallback(admin1, card, 'approve:not-a-payment');
    stack.telegram.injectCallback(admin1, card, `approve:${id}:ZZZZZZZZ`);
    await eventually(async () =>
      stack.telegram.callbackAnswers.length >= answersBefore + 6 ? true : undefined,
    );
    const answers = stack.telegram.callbackAnswers.slice(answersBefore).map((a) => a.text);
    expect(answers.filter((t) => t === '仅管理员可以操作。')).toHaveLength(2);
    expect(answers.filter((t) => t?.includes('按钮与付款不符'))).toHaveLength(3);
    expect(answers.filter((t) => t?.includes('ZZZZZZZZ'))).toHaveLength(1);

    await sleep(300);
    expect((await paymentRow(stack, id))?.status).toBe('review');
    expect((await paymentRow(stack, otherId))?.status).toBe('review');
    expect(await ledgerOf(stack, user.id)).toEqual([]);
    expect(
      stack.telegram.sent.filter(
        (m) => m.method === 'editMessageText' && m.editsMessageId === card.id && m.chatId === ADMIN_ID,
      ),
    ).toEqual([]);
  });

  it('decides once and credits once when a button is pressed twice, by two admins at once, and replayed', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '25');
    const card1 = await mismatchedPayment(orderNo, '25.10');
    const card2 = await cardFor(stack, ADMIN_2, orderNo);
    const id = paymentIdOf(card1);
    const answersBefore = stack.telegram.callbackAnswers.length;

    // All in one batch of updates, which the bot handles concurrently.
    stack.telegram.pressButton(admin1, card1, `approve:${id}`);
    stack.telegram.pressButton(admin1, card1, `approve:${id}`);
    stack.telegram.pressButton(admin2, card2, `approve:${id}`);
    stack.telegram.pressButton(admin2, card2, `reject:${id}`);
    await eventually(async () =>
      stack.telegram.callbackAnswers.length >= answersBefore + 4 ? true : undefined,
    );
    await editOf(stack, card1);
    // Replayed after the decision, when the buttons are gone.
    stack.telegram.injectCallback(admin2, card2, `approve:${id}`);
    await eventually(async () =>
      stack.telegram.callbackAnswers.length >= answersBefore + 5 ? true : undefined,
    );

    const answers = stack.telegram.callbackAnswers.slice(answersBefore).map((a) => a.text ?? '');
    expect(answers.filter((t) => t === '已处理。')).toHaveLength(1);
    expect(answers.filter((t) => t.includes('该付款已处理'))).toHaveLength(4);
    await sleep(500);
    expect(await ledgerOf(stack, user.id)).toEqual([['credit', 2510, null]]);
    expect(await balanceOf(stack, user.id)).toBe(2510);
    expect(customerMessages(user.id).filter((m) => (m.text ?? '').includes('✅'))).toHaveLength(1);
    for (const card of [card1, card2]) {
      const edits = stack.telegram.sent.filter(
        (m) => m.method === 'editMessageText' && m.chatId === card.chatId && m.editsMessageId === card.id,
      );
      expect(edits).toHaveLength(1);
    }
    const audit = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where payment_id = ${id}`,
    );
    expect(audit[0]?.n).toBe(1);
  });
});
