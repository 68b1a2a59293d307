// The review queue for admins as Telegram shows it: cards that fit Telegram's limits however long the mail's
// fields, /pending walking the whole queue, and /approve and /reject deciding exactly as the card buttons do.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_LIMIT } from '../src/modules/telegram/telegram-limits.ts';
import { balanceOf, cardFor, editOf, ledgerOf, paymentIdOf, paymentRow, sleep } from './support/admin.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { parseHtml, type SentMessage } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };

describe.each(DATABASE_KINDS)('review commands and limits on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newCustomer = () => ({ id: 70_000 + ++seq, firstName: 'Cu' });
  /** Sends an admin command and returns the admin's next message containing `marker`. */
  async function ask(text: string, marker: string) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendText(admin, text);
    return stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && stack.telegram.sent.indexOf(m) >= before && (m.text ?? '').includes(marker),
    );
  }
  const visible = (m: SentMessage) => parseHtml(m.text ?? '').text;

  it('sends a card whose memo and payer run to thousands of characters, clipped with an ellipsis, buttons working', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '31');
    // Each '&lt;' is one character to the payer and four in the card's HTML.
    const memo = `${orderNo} ${'&lt;'.repeat(3000)}`;
    await stack.deliver(
      forwardedAlipayTransfer({ amount: '30.00', memo, payer: `Eve${'&amp;'.repeat(2000)}` }),
    );
    const card = await cardFor(stack, ADMIN_ID, orderNo);
    expect(card.text).toContain(`备注：${orderNo} &lt;&lt;`);
    expect(card.text).toMatch(/备注：[^\n]*&lt;…\n/);
    expect(card.text).toMatch(/付款人：Eve&amp;[^\n]*…\n/);
    expect(visible(card).length).toBeLessThan(TEXT_LIMIT);
    const id = paymentIdOf(card);
    stack.telegram.pressButton(admin, card, `approve:${id}`);
    const edit = await editOf(stack, card);
    expect(edit.text).toContain('已批准入账');
    expect(await balanceOf(stack, user.id)).toBe(3000);
  });

  it('delivers a customer notice whose reason alone is 4,000 characters, cut to fit with an ellipsis', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '5');
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
    stack.telegram.sendText(admin, `/adjust ${user.id} 1 ${'<'.repeat(4000)}`);
    const told = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('余额调整'),
    );
    expect(visible(told).length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(visible(told).endsWith('…')).toBe(true);
  });

  it('/pending walks the whole queue ten at a time: a count, the cards, and the command for the next ten', async () => {
    for (let i = 0; i < 12; i++) await stack.deliver(forwardedAlipayTransfer({ amount: `${700 + i}.07` }));
    await cardFor(stack, ADMIN_ID, '¥711.07');
    const inReview = (
      await stack.rows<{ id: number }>(
        sql`select id::int as id from payments where status = 'review' order by id`,
      )
    ).map((row) => row.id);
    expect(inReview.length).toBeGreaterThan(10);

    const seen: number[] = [];
    let command = '/pending';
    for (let page = 0; page < 5 && command; page++) {
      const before = stack.telegram.sent.length;
      const header = await ask(command, '待核对付款共');
      expect(header.text).toContain(`共 ${inReview.length} 笔`);
      await eventually(async () => {
        const cards = stack.telegram.sent
          .slice(before)
          .filter((m) => m.chatId === ADMIN_ID && m.id > header.id);
        const expected = Math.min(10, inReview.length - seen.length);
        return cards.filter((m) => (m.text ?? '').startsWith('🔎')).length >= expected ? true : undefined;
      });
      await sleep(200);
      const cards = stack.telegram.sent
        .slice(before)
        .filter((m) => m.chatId === ADMIN_ID && m.id > header.id && (m.text ?? '').startsWith('🔎'));
      expect(cards.length).toBeLessThanOrEqual(10);
      seen.push(...cards.map(paymentIdOf));
      command = /\/pending \d+/.exec(header.text ?? '')?.[0] ?? '';
    }
    expect(seen).toEqual(inReview);
  });

  it('/approve ID, /approve ID ORDER, /approve ID USER and /reject ID decide as the buttons do', async () => {
    const user = newCustomer();
    const { orderNo } = await recharge(stack, user, '41');
    await stack.deliver(forwardedAlipayTransfer({ amount: '40.00', memo: orderNo }));
    const named = await cardFor(stack, ADMIN_ID, orderNo);
    const namedId = paymentIdOf(named);
    expect((await ask(`/approve ${namedId}`, `付款 #${namedId} 已入账`)).text).toContain(orderNo);
    expect((await editOf(stack, named)).text).toContain('已批准入账');

    const { orderNo: second } = await recharge(stack, user, '42');
    await stack.deliver(forwardedAlipayTransfer({ amount: '901.01' }));
    const toOrder = paymentIdOf(await cardFor(stack, ADMIN_ID, '¥901.01'));
    await ask(`/approve ${toOrder} ${second.toLowerCase()}`, `付款 #${toOrder} 已入账到 ${second}`);

    await stack.deliver(forwardedAlipayTransfer({ amount: '902.02' }));
    const toUser = paymentIdOf(await cardFor(stack, ADMIN_ID, '¥902.02'));
    await ask(`/approve ${toUser} ${user.id}`, `付款 #${toUser} 已入账到 ${user.id}`);
    expect(await paymentRow(stack, toUser)).toMatchObject({ status: 'matched', order_id: null });

    await stack.deliver(forwardedAlipayTransfer({ amount: '903.03' }));
    const rejectedCard = await cardFor(stack, ADMIN_ID, '¥903.03');
    const rejected = paymentIdOf(rejectedCard);
    await ask(`/reject ${rejected}`, `付款 #${rejected} 已拒绝`);
    expect((await editOf(stack, rejectedCard)).text).toContain('已拒绝');
    expect((await paymentRow(stack, rejected))?.status).toBe('rejected');

    // A second decision changes nothing, by command or by button.
    await ask(`/approve ${rejected} ${user.id}`, '该付款已处理');
    expect(await ledgerOf(stack, user.id)).toEqual([
      ['credit', 4000, null],
      ['credit', 90101, null],
      ['credit', 90202, null],
    ]);
    const actions = await stack.rows<{ action: string }>(
      sql`select action from audit_log where payment_id in (${namedId}, ${toOrder}, ${toUser}, ${rejected}) order by id`,
    );
    expect(actions.map((a) => a.action)).toEqual(['approve', 'assign', 'assign', 'reject']);
    expect((await ask('/approve x', '用法')).text).toContain('/approve 付款ID');
  });
});
