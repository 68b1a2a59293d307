// Dedupe keys and trust: an unauthenticated record never takes the place of an authenticated one, and two
// distinct payments are never merged — only a notification whose every field repeats is a suspected repeat.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMail } from './support/dkim.ts';
import { incoming, ingestFor } from './support/ingest.ts';
import { type IngestFixture, openIngestFixture, PAYEE } from './support/ingest-fixture.ts';
import { alipayReceipt, forwardedAlipayTransfer } from './support/notifications.ts';
import { ledgerByOrder } from './support/orders.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('dedupe keys and trust on %s', (kind) => {
  let fx: IngestFixture;
  let ingest: ReturnType<typeof ingestFor>;
  let amountSeq = 0;
  const nextOrder = async () => {
    const fen = 3_000 + ++amountSeq;
    return { orderNo: await fx.pendingOrder(fen), amount: (fen / 100).toFixed(2), fen };
  };

  beforeAll(async () => {
    fx = await openIngestFixture(kind);
    ingest = ingestFor(fx.database, fx.config);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('credits the genuine mail arriving after a forged one that took its Message-ID, and keeps both', async () => {
    const { orderNo, amount } = await nextOrder();
    const messageId = `<stolen-${orderNo}@qq.com>`;
    const mail = forwardedAlipayTransfer({ amount, memo: orderNo, messageId });
    const forged = await ingest(incoming(Buffer.from(mail)));
    expect(forged).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    expect(await ingest(incoming(await signMail(mail, fx.keys.forwarder)))).toMatchObject({
      kind: 'credited',
      orderNo,
    });
    expect(await fx.payments(sql`message_key = ${messageId}`)).toMatchObject([
      { status: 'review', review_reason: 'unauthenticated', auth_result: 'fail' },
      { status: 'matched', auth_result: 'pass' },
    ]);
    // A copy of either is still recorded once.
    expect(await ingest(incoming(Buffer.from(mail)))).toEqual({ kind: 'duplicate' });
    expect(await ingest(incoming(await signMail(mail, fx.keys.forwarder)))).toEqual({ kind: 'duplicate' });
    expect((await ledgerByOrder(fx.database.rows)).get(orderNo)?.n).toBe(1);
  });

  it('credits the genuine receipt arriving after a forged one that took its transaction id', async () => {
    const { orderNo, amount } = await nextOrder();
    const transactionId = `2026112022001456${String(amountSeq).padStart(12, '0')}`;
    const receipt = (messageId: string) =>
      alipayReceipt({ to: PAYEE, orderNo, amount, transactionId, messageId });
    const forged = await ingest(incoming(Buffer.from(receipt('<forged@evil.test>'))));
    expect(forged).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    const genuine = await signMail(receipt('<genuine@mail.alipay.com>'), fx.keys.alipay);
    expect(await ingest(incoming(genuine))).toMatchObject({ kind: 'credited', orderNo });
    expect(await fx.payments(sql`transaction_id = ${transactionId}`)).toMatchObject([
      { status: 'review', auth_result: 'fail' },
      { status: 'matched', auth_result: 'pass' },
    ]);
    const again = await signMail(receipt('<genuine-again@mail.alipay.com>'), fx.keys.alipay);
    expect(await ingest(incoming(again))).toEqual({ kind: 'duplicate' });
  });

  it('credits the genuine notification after a forged copy of every field, which is no repeat of it', async () => {
    const { orderNo, amount } = await nextOrder();
    const at = new Date('2026-11-26T03:00:00Z');
    const forged = forwardedAlipayTransfer({ amount, memo: orderNo, at });
    expect(await ingest(incoming(Buffer.from(forged)))).toMatchObject({ reason: 'unauthenticated' });
    const genuine = await signMail(forwardedAlipayTransfer({ amount, memo: orderNo, at }), fx.keys.forwarder);
    expect(await ingest(incoming(genuine))).toMatchObject({ kind: 'credited', orderNo });
  });

  it.each([
    ['memos', [{ memo: '生日快乐' }, { memo: '谢谢老板' }]],
    ['payers', [{ payer: '李四' }, { payer: '王五' }]],
  ])('credits two payments of one amount in the same second whose %s differ', async (_what, variants) => {
    // Orders made more than 5 s after a payment are not its candidates: pay "now".
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const { orderNo: first, amount, fen } = await nextOrder();
    const mail = (variant: { memo?: string; payer?: string }) =>
      forwardedAlipayTransfer({ amount, at, memo: '生日快乐', payer: '李四', ...variant });
    const [one, two] = variants as [{ memo?: string; payer?: string }, { memo?: string; payer?: string }];
    expect(await ingest(incoming(await signMail(mail(one), fx.keys.forwarder)))).toMatchObject({
      kind: 'credited',
      orderNo: first,
    });
    // The first credit freed the amount: a second customer's order now holds it.
    const second = await fx.pendingOrder(fen);
    expect(await ingest(incoming(await signMail(mail(two), fx.keys.forwarder)))).toMatchObject({
      kind: 'credited',
      orderNo: second,
    });
  });
});
