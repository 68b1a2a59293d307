// Forged notifications never credit: each lands in review as unauthenticated, with its reason, and the admins
// hear of it. (A DKIM key that cannot be fetched: test/dkim-temperror.test.ts.)
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/shared/logger/logger.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { FORWARDER, forwardedAlipayTransfer } from './support/notifications.ts';
import { ledgerByOrder, recharge } from './support/orders.ts';
import { ADMIN_ID, mailboxReady, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

type Forgery = {
  name: string;
  /** The raw message as it reaches the mailbox, for an order's payable amount and number. */
  build(stack: Stack, payable: string, orderNo: string): Promise<Buffer>;
  /** What the recorded auth_detail must say. */
  detail: RegExp;
};

const notification = (payable: string, orderNo: string, extra: { from?: string; messageId?: string } = {}) =>
  forwardedAlipayTransfer({ amount: payable, memo: `充值 ${orderNo}`, at: FIXED_AT, ...extra });
const FIXED_AT = new Date(Date.now() - 60_000);

/** Keys of other domains, published in the test DNS: real, valid signatures — of the wrong domain. */
const evil = createDkimKey('evil.test', 'sel');
const lookalike = createDkimKey('qq.com.evil.test', 'sel');
const hyphenated = createDkimKey('evil-qq.com', 'sel');

const forgeries: Forgery[] = [
  {
    name: 'unsigned',
    build: async (_stack, payable, orderNo) => Buffer.from(notification(payable, orderNo)),
    detail: /message not signed/,
  },
  {
    name: 'signed with the wrong key for qq.com',
    build: (_stack, payable, orderNo) =>
      signMail(notification(payable, orderNo), createDkimKey('qq.com', 'mailpay')),
    detail: /d=qq\.com (fail|neutral)/,
  },
  {
    name: 'body changed after signing',
    build: async (stack, payable, orderNo) => {
      const messageId = '<tampered-body@qq.com>';
      const genuine = notification('0.01', orderNo, { messageId });
      const signature = (await signMail(genuine, stack.dkim)).subarray(0, -Buffer.byteLength(genuine));
      return Buffer.concat([signature, Buffer.from(notification(payable, orderNo, { messageId }))]);
    },
    detail: /d=qq\.com (fail|neutral).*body hash/i,
  },
  {
    name: 'Subject changed after signing',
    build: async (stack, payable, orderNo) => {
      const signed = (await signMail(notification(payable, orderNo), stack.dkim)).toString();
      return Buffer.from(
        signed.replace('Subject: com.eg.android.AlipayGphone', 'Subject: com.eg.android.AlipayGphone 收款'),
      );
    },
    detail: /d=qq\.com (fail|neutral)/,
  },
  {
    name: 'From display name changed after signing',
    build: async (stack, payable, orderNo) => {
      const signed = (await signMail(notification(payable, orderNo), stack.dkim)).toString();
      return Buffer.from(signed.replace('From: SmsForwarder <', 'From: Alipay <'));
    },
    detail: /d=qq\.com (fail|neutral)/,
  },
  {
    name: 'from a lookalike domain qq.com.evil.test, validly signed by it',
    build: (_stack, payable, orderNo) =>
      signMail(notification(payable, orderNo, { from: 'notify-forwarder@qq.com.evil.test' }), lookalike),
    detail: /sender notify-forwarder@qq\.com\.evil\.test is not trusted/,
  },
  {
    name: 'from a lookalike domain evil-qq.com, validly signed by it',
    build: (_stack, payable, orderNo) =>
      signMail(notification(payable, orderNo, { from: 'notify-forwarder@evil-qq.com' }), hyphenated),
    detail: /sender notify-forwarder@evil-qq\.com is not trusted/,
  },
  {
    name: 'with the trusted address as display name only',
    build: async (_stack, payable, orderNo) => {
      const mail = notification(payable, orderNo, { from: 'x@evil.test' }).replace(
        'From: SmsForwarder <x@evil.test>',
        `From: "${FORWARDER}" <x@evil.test>`,
      );
      return signMail(mail, evil);
    },
    detail: /sender x@evil\.test is not trusted/,
  },
  {
    name: 'with the trusted From but a valid signature of another domain (third party)',
    build: (_stack, payable, orderNo) => signMail(notification(payable, orderNo), evil),
    detail: /no aligned passing DKIM signature: d=evil\.test does not align with qq\.com/,
  },
  {
    name: 'with two addresses in From, signed by qq.com',
    build: (stack, payable, orderNo) =>
      signMail(
        notification(payable, orderNo).replace(
          `From: SmsForwarder <${FORWARDER}>`,
          `From: SmsForwarder <${FORWARDER}>, Eve <x@evil.test>`,
        ),
        stack.dkim,
      ),
    detail: /expected one From address, got 2/,
  },
  {
    name: 'with a second From header added after signing',
    build: async (stack, payable, orderNo) => {
      const signed = await signMail(notification(payable, orderNo), stack.dkim);
      return Buffer.concat([Buffer.from('From: Eve <x@evil.test>\r\n'), signed]);
    },
    detail: /sender x@evil\.test is not trusted/,
  },
  {
    name: 'with a second From header after the signed one',
    build: async (stack, payable, orderNo) => {
      const signed = (await signMail(notification(payable, orderNo), stack.dkim)).toString();
      return Buffer.from(
        signed.replace(`<${FORWARDER}>\r\n`, `<${FORWARDER}>\r\nFrom: Eve <x@evil.test>\r\n`),
      );
    },
    detail: /From header is ambiguous/,
  },
];

describe.each(DATABASE_KINDS)('mail authentication on %s', (kind) => {
  let stack: Stack;
  let seq = 0;
  const newCustomer = () => ({ id: 90_000 + ++seq + (kind === 'pglite' ? 500 : 0), firstName: 'Cy' });

  beforeAll(async () => {
    // Every forged variant here is one card the test reads: no flood summaries (README: Floods).
    stack = await startStack(kind, { ADMIN_FLOOD_PER_MINUTE: '100' });
    for (const key of [evil, lookalike, hyphenated]) stack.dns.setTxt(key.dnsName, key.txt);
    await stack.startService();
    await mailboxReady(stack);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it.each(forgeries.map((forgery, index) => [forgery.name, forgery, index] as const))(
    'credits nothing for a notification %s, holds it for review as unauthenticated with the reason, and tells the admins',
    async (_name, forgery, index) => {
      const user = newCustomer();
      const { orderNo, payable } = await recharge(stack, user, String(41 + index));
      const uid = await stack.dovecot.append(await forgery.build(stack, payable, orderNo));

      const alert = await stack.telegram.waitFor(
        (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(orderNo) && (m.text ?? '').includes('认证'),
      );
      expect(alert.text).toContain(`¥${payable}`);
      const [payment] = await stack.rows<{
        status: string;
        review_reason: string;
        auth_result: string;
        auth_detail: string;
      }>(
        sql`select status, review_reason, auth_result, auth_detail from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${uid}`,
      );
      expect(payment).toMatchObject({
        status: 'review',
        review_reason: 'unauthenticated',
        auth_result: 'fail',
      });
      expect(payment?.auth_detail).toMatch(forgery.detail);
      expect((await ledgerByOrder(stack.rows)).has(orderNo)).toBe(false);
      const [order] = await stack.rows<{ status: string }>(
        sql`select status from orders where order_no = ${orderNo}`,
      );
      expect(order?.status).toBe('pending');
    },
  );
});

describe('MAIL_AUTH=none', () => {
  let stack: Stack;
  afterAll(async () => {
    await stack?.dispose();
  });

  it('is warned about at start-up, and then credits an unsigned notification from a trusted address', async () => {
    stack = await startStack('pglite', { MAIL_AUTH: 'none' });
    let logged = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk;
        done();
      },
    });
    await stack.startService({ logger: createLogger({ level: 'info', secrets: [], destination }) });
    await mailboxReady(stack);
    const warning = logged.split('\n').find((line) => line.includes('MAIL_AUTH=none'));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40 });

    const user = { id: 99_001, firstName: 'Di' };
    const { orderNo, payable } = await recharge(stack, user, '10');
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }), { signed: false });
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
  });

  it('is not in force unless set: the default is dkim', async () => {
    const { parseConfig } = await import('../src/shared/config/config.ts');
    const parsed = parseConfig({ ...stack.env, MAIL_AUTH: undefined });
    expect(parsed.ok && parsed.config.mail.auth).toBe('dkim');
  });
});
