// The mailbox through a server restart and a recreated mailbox: no payment missed, none credited twice.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMail } from './support/dkim.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { ledgerByOrder, recharge } from './support/orders.ts';
import { ADMIN_ID, mailboxReady, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('the mailbox watcher in the service on %s', (kind) => {
  let stack: Stack;
  let seq = 0;
  const newCustomer = () => ({ id: 80_000 + ++seq + (kind === 'pglite' ? 500 : 0), firstName: 'Bo' });
  const adminTexts = () => stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID).map((m) => m.text ?? '');

  beforeAll(async () => {
    stack = await startStack(kind);
    // Production back-off; only the "tell the admins" threshold is shortened from minutes to seconds.
    await stack.startService({ tuning: { mailbox: { unreachableAlertMs: 2_000 } } });
    await mailboxReady(stack);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('credits the next payment within seconds of Dovecot coming back, and tells the admins once when it was down and once when it is back', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '21');
    await stack.dovecot.stop();
    const down = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('无法连接'),
      15_000,
    );
    expect(down.text).toContain('通知邮箱');
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    await stack.dovecot.start();
    const backAt = Date.now();
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('✅'),
      30_000,
    );
    const seconds = (Date.now() - backAt) / 1000;
    console.log(`[${kind}] credited ${seconds.toFixed(1)} s after Dovecot came back`);
    expect(credited.text).toContain(orderNo);
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('已恢复'));
    expect(adminTexts().filter((t) => t.includes('无法连接'))).toHaveLength(1);
    expect(adminTexts().filter((t) => t.includes('已恢复'))).toHaveLength(1);
  }, 60_000);

  it('credits nothing twice when the mailbox is recreated with a new UIDVALIDITY and the old messages are appended again', async () => {
    const orders: Array<{ orderNo: string; payable: string }> = [];
    const signed: Buffer[] = [];
    for (const amount of ['31', '32', '33']) {
      const order = await recharge(stack, newCustomer(), amount);
      orders.push(order);
      signed.push(
        await signMail(forwardedAlipayTransfer({ amount: order.payable, memo: order.orderNo }), stack.dkim),
      );
    }
    for (const raw of signed) await stack.dovecot.append(raw);
    await eventually(async () => {
      const ledger = await ledgerByOrder(stack.rows);
      return orders.every((o) => ledger.has(o.orderNo)) ? true : undefined;
    });
    const [before] = await stack.rows<{ uid_validity: string }>(
      sql`select uid_validity::text from mailbox_cursors`,
    );

    const countPayments = async () =>
      Number((await stack.rows<{ n: number }>(sql`select count(*)::int as n from payments`))[0]?.n);
    const recordedBefore = await countPayments();

    await stack.dovecot.recreateMailbox();
    for (const raw of signed) await stack.dovecot.append(raw);
    const late = await recharge(stack, newCustomer(), '34');
    const lastUid = await stack.deliver(
      forwardedAlipayTransfer({ amount: late.payable, memo: late.orderNo }),
    );

    await eventually(
      async () => ((await ledgerByOrder(stack.rows)).has(late.orderNo) ? true : undefined),
      20_000,
    );
    const [after] = await stack.rows<{ uid_validity: string; last_uid: number }>(
      sql`select uid_validity::text, last_uid from mailbox_cursors`,
    );
    expect(after?.uid_validity).not.toBe(before?.uid_validity);
    expect(Number(after?.last_uid)).toBe(lastUid);
    const ledger = await ledgerByOrder(stack.rows);
    for (const order of [...orders, late]) expect(ledger.get(order.orderNo)?.n).toBe(1);
    // The re-appended copies were recognised by their Message-ID: only the new notification is a new row.
    expect(await countPayments()).toBe(recordedBefore + 1);
    expect(adminTexts().filter((t) => t.includes('订单已支付'))).toEqual([]);
  }, 60_000);
});
