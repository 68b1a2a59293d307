// DKIM binds what is parsed: a signature credits only when it covers the whole body and the From and
// Subject the parser reads, no parsed header appears twice, alignment is judged on the decoded From, and a
// provider's receipt is addressed to the payee. Real signatures (mailauth) served by the local DNS responder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signMail } from './support/dkim.ts';
import { incoming, ingestFor } from './support/ingest.ts';
import { type IngestFixture, openIngestFixture, PAYEE } from './support/ingest-fixture.ts';
import { alipayReceipt, forwardedAlipayTransfer } from './support/notifications.ts';
import { ledgerByOrder } from './support/orders.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const sharedFixtures = '/work/shared/fixtures/mail';
const receiptFixture = (name: string) =>
  readFileSync(join(sharedFixtures, name)).toString('latin1').replace(/\r?\n/g, '\r\n');

/** Inserts header lines right below the DKIM-Signature: above the signed ones, where mailparser reads first. */
function insertAboveSignedHeaders(signed: Buffer, lines: string): Buffer {
  const text = signed.toString('latin1');
  const at = text.search(/\r\n(?![ \t])/) + 2; // the end of the (folded) DKIM-Signature header
  return Buffer.from(text.slice(0, at) + lines + text.slice(at), 'latin1');
}

describe.each(DATABASE_KINDS)('what a DKIM signature must bind, on %s', (kind) => {
  let fx: IngestFixture;
  let ingest: ReturnType<typeof ingestFor>;
  let amountSeq = 0;
  /** A fresh payable amount and an order holding it. */
  const nextOrder = async () => {
    const fen = 2_000 + ++amountSeq;
    return { orderNo: await fx.pendingOrder(fen), amount: (fen / 100).toFixed(2) };
  };
  const recorded = async (uid: number) => (await fx.payments(sql`uid = ${uid}`))[0];

  beforeAll(async () => {
    fx = await openIngestFixture(kind);
    ingest = ingestFor(fx.database, fx.config);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('credits a genuine forwarder notification signed by its domain (the baseline of the cases below)', async () => {
    const { orderNo, amount } = await nextOrder();
    const raw = await signMail(forwardedAlipayTransfer({ amount, memo: orderNo }), fx.keys.forwarder);
    expect(await ingest(incoming(raw))).toMatchObject({ kind: 'credited', orderNo });
  });

  it('refuses a signature whose l= leaves part of the body unsigned', async () => {
    const { orderNo, amount } = await nextOrder();
    const mail = forwardedAlipayTransfer({ amount, memo: orderNo });
    const bodyLength = Buffer.byteLength(mail) - mail.indexOf('\r\n\r\n') - 4;
    const signed = await signMail(mail, fx.keys.forwarder, { maxBodyLength: bodyLength });
    const message = incoming(Buffer.concat([signed, Buffer.from('PGJyPuaUr+S7mOWKqeaJiw==\r\n')]));
    expect(await ingest(message)).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    expect(await recorded(message.uid)).toMatchObject({
      auth_result: 'fail',
      auth_detail: expect.stringMatching(/l= leaves \d+ bytes of the body unsigned/),
    });
    expect((await ledgerByOrder(fx.database.rows)).has(orderNo)).toBe(false);
  });

  it.each([
    ['From', 'to:subject:date:message-id:content-type', /does not sign From/],
    ['Subject', 'from:to:date:message-id:content-type', /does not sign Subject/],
  ])('refuses a signature whose h= lacks %s', async (_field, headerList, detail) => {
    const { orderNo, amount } = await nextOrder();
    const raw = await signMail(forwardedAlipayTransfer({ amount, memo: orderNo }), fx.keys.forwarder, {
      headerList,
    });
    const message = incoming(raw);
    expect(await ingest(message)).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    expect((await recorded(message.uid))?.auth_detail).toMatch(detail);
  });

  it.each([
    ['Subject', 'Subject: com.eg.android.AlipayGphone 收款\r\n'],
    ['From', 'From: SmsForwarder <notify-forwarder@qq.com>\r\n'],
    ['To', `To: ${PAYEE}\r\n`],
    ['Date', 'Date: Wed, 02 Dec 2026 10:00:00 +0000\r\n'],
    ['Message-ID', 'Message-ID: <stolen-key@qq.com>\r\n'],
  ])('refuses a signed mail with an unsigned second %s header above the signed one', async (name, line) => {
    const { orderNo, amount } = await nextOrder();
    const signed = await signMail(forwardedAlipayTransfer({ amount, memo: orderNo }), fx.keys.forwarder);
    const message = incoming(insertAboveSignedHeaders(signed, line));
    expect(await ingest(message)).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    expect((await recorded(message.uid))?.auth_detail).toBe(`${name} header is ambiguous (appears 2 times)`);
    expect((await ledgerByOrder(fx.database.rows)).has(orderNo)).toBe(false);
  });

  it.each([
    ['alipay-receipt-gbk.eml', 'K7M3Q9XA', 1_000],
    ['alipay-receipt-utf8-qp.eml', '2PDX7W4N', 999],
  ])(
    'credits the genuine Alipay receipt %s, whose From is wholly RFC 2047 encoded',
    async (file, orderNo, fen) => {
      await fx.pendingOrder(fen, orderNo);
      const raw = await signMail(Buffer.from(receiptFixture(file), 'latin1'), fx.keys.alipay);
      const message = incoming(raw);
      expect(await ingest(message)).toMatchObject({ kind: 'credited', orderNo });
      expect(await recorded(message.uid)).toMatchObject({
        auth_result: 'pass',
        auth_detail: expect.stringContaining('d=alipay.com'),
      });
    },
  );

  it.each([
    [PAYEE, 'credited'],
    ['somebody-else@example.org', 'review'],
  ])(
    'judges a genuine Alipay receipt addressed to %s as %s (a replayed receipt never credits)',
    async (to, outcome) => {
      const { orderNo, amount } = await nextOrder();
      const raw = await signMail(alipayReceipt({ to, orderNo, amount }), fx.keys.alipay);
      const message = incoming(raw);
      expect((await ingest(message)).kind).toBe(outcome);
      const row = await recorded(message.uid);
      if (outcome === 'credited') return;
      expect(row).toMatchObject({ review_reason: 'unauthenticated', auth_result: 'fail' });
      expect(row?.auth_detail).toBe(`receipt addressed to ${to}, not to PAYEE_ADDRESSES`);
      expect((await ledgerByOrder(fx.database.rows)).has(orderNo)).toBe(false);
    },
  );
});
