// A DKIM key that cannot be looked up never holds the mailbox back (SPEC §7): an unaligned signature's key is not
// even asked for; an aligned one's payment is held apart, tried again, credited once DNS answers, and sent to
// review after 30 minutes. Later mail flows meanwhile. Real Dovecot, DNS responder, Bot API double, both databases.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zhAdminTexts } from '../src/modules/notify/admin-texts.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { eventually } from './support/eventually.ts';
import { alipayReceipt, forwardedAlipayTransfer } from './support/notifications.ts';
import { ledgerByOrder, recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

/** A forger's own domain, whose DNS never answers: its signature does not align with alipay.com. */
const forger = createDkimKey('silent-forger.test', 'sel');
/** More keys of the forwarder's own domain (aligned), whose look-ups will time out; one each, as keys are cached. */
const rotated = createDkimKey('qq.com', 'rotated');
const retired = createDkimKey('qq.com', 'retired');

const PAYEE = 'pay-inbox@example.com';

/** Real time plus an offset the test moves forward: the service's "now" without waiting 30 minutes. */
function movableClock() {
  let offsetMs = 0;
  return { now: () => new Date(Date.now() + offsetMs), advance: (ms: number) => (offsetMs += ms) };
}

describe.each(DATABASE_KINDS)('DKIM look-up failures on %s', (kind) => {
  let stack: Stack;
  const clock = movableClock();
  let seq = 0;
  const newCustomer = () => ({ id: 71_000 + ++seq + (kind === 'pglite' ? 500 : 0), firstName: 'Ta' });
  const creditedTo = (user: { id: number }, orderNo: string) =>
    stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('✅') && (m.text ?? '').includes(orderNo),
    );
  const paymentAt = async (uid: number) =>
    (
      await stack.rows<{
        id: number;
        status: string;
        review_reason: string | null;
        auth_result: string;
        auth_detail: string;
      }>(
        sql`select id, status, review_reason, auth_result, auth_detail from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${uid}`,
      )
    )[0];
  const holdsOf = async (paymentId: number) =>
    (await stack.rows(sql`select 1 from auth_holds where payment_id = ${paymentId}`)).length;

  beforeAll(async () => {
    stack = await startStack(
      kind,
      { PAYEE_ADDRESSES: PAYEE },
      {
        clock,
        // A silent server gives temperror within about a second; holds are tried again within a second.
        tuning: { dnsTimeoutMs: 300, authHold: { retry: { baseMs: 300, maxMs: 1_000 }, checkMs: 200 } },
      },
    );
    stack.dns.setTxt(forger.dnsName, forger.txt);
    stack.dns.setSilentFor(forger.domain);
    stack.dns.setTxt(rotated.dnsName, rotated.txt);
    stack.dns.setTxt(retired.dnsName, retired.txt);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('records a forged service@alipay.com receipt signed by an unaligned silent domain at once, never asking that DNS, and credits the next payment', async () => {
    const victim = newCustomer();
    const forged = await recharge(stack, victim, '30');
    const receipt = alipayReceipt({
      to: PAYEE,
      orderNo: forged.orderNo,
      amount: forged.payable,
    });
    const forgedUid = await stack.dovecot.append(await signMail(receipt, forger));
    const payer = newCustomer();
    const genuine = await recharge(stack, payer, '31');
    await stack.deliver(forwardedAlipayTransfer({ amount: genuine.payable, memo: genuine.orderNo }));

    await creditedTo(payer, genuine.orderNo);
    expect(await paymentAt(forgedUid)).toMatchObject({
      status: 'review',
      review_reason: 'unauthenticated',
      auth_result: 'fail',
      // Judged on its signature, which names the forger's domain…
      auth_detail: expect.stringMatching(/d=silent-forger\.test/),
    });
    // …whose DNS was never asked: nothing could wait for its time-out.
    expect(stack.dns.queriesFor(forger.domain)).toBe(0);
    expect((await ledgerByOrder(stack.rows)).has(forged.orderNo)).toBe(false);
  });

  it('holds a payment whose aligned key does not answer, credits later mail meanwhile, survives a restart, and credits it once DNS answers', async () => {
    stack.dns.setSilentFor(rotated.dnsName);
    const waiting = newCustomer();
    const held = await recharge(stack, waiting, '32');
    const heldUid = await stack.dovecot.append(
      await signMail(forwardedAlipayTransfer({ amount: held.payable, memo: held.orderNo }), rotated),
    );
    const next = newCustomer();
    const later = await recharge(stack, next, '33');
    const laterUid = await stack.deliver(
      forwardedAlipayTransfer({ amount: later.payable, memo: later.orderNo }),
    );

    await creditedTo(next, later.orderNo);
    const payment = await paymentAt(heldUid);
    expect(payment).toMatchObject({ status: 'held', auth_result: 'temperror' });
    const [cursor] = await stack.rows<{ last_uid: number }>(sql`select last_uid from mailbox_cursors`);
    expect(Number(cursor?.last_uid)).toBeGreaterThanOrEqual(laterUid);
    expect((await ledgerByOrder(stack.rows)).has(held.orderNo)).toBe(false);

    // The hold is in the database, not in memory: a restart keeps it.
    await stack.stopService();
    await stack.startService();
    stack.dns.setAnsweringFor(rotated.dnsName);

    await creditedTo(waiting, held.orderNo);
    expect(await paymentAt(heldUid)).toMatchObject({ status: 'matched', auth_result: 'pass' });
    expect((await ledgerByOrder(stack.rows)).get(held.orderNo)?.n).toBe(1);
    expect(await holdsOf(payment?.id ?? 0)).toBe(0);
  });

  it('sends a payment whose aligned key stays silent for 30 minutes to review, flagged as not checkable', async () => {
    stack.dns.setSilentFor(retired.dnsName);
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '34');
    const uid = await stack.dovecot.append(
      await signMail(forwardedAlipayTransfer({ amount: payable, memo: orderNo }), retired),
    );
    const payment = await eventually(async () => {
      const row = await paymentAt(uid);
      return row?.status === 'held' ? row : undefined;
    }, 20_000);

    clock.advance(31 * 60_000);
    const card = await stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID &&
        (m.text ?? '').includes(`#${payment.id}`) &&
        (m.text ?? '').includes(zhAdminTexts.reviewReason('auth_unavailable')),
      20_000,
    );
    expect(card.text).toContain(`¥${payable}`);
    expect(await paymentAt(uid)).toMatchObject({
      status: 'review',
      review_reason: 'auth_unavailable',
      auth_result: 'temperror',
    });
    expect(await holdsOf(payment.id)).toBe(0);
    expect((await ledgerByOrder(stack.rows)).has(orderNo)).toBe(false);
  });
});
