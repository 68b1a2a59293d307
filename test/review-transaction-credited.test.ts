// An admin never credits the same provider transaction twice: a copy held for review (an unauthenticated one,
// or a statement's "missed" row for a notification that arrived after all) is refused once another payment
// of that transaction id is credited, whichever came first.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordNotification } from '../src/modules/ingestion/record-notification.ts';
import type { PaymentNotification } from '../src/modules/payments/notification/parse-notification.ts';
import { createReviewPayment } from '../src/modules/review/review-payment.ts';
import { reviewSettingsOf } from '../src/modules/review/review-settings.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { type IngestFixture, openIngestFixture } from './support/ingest-fixture.ts';
import { ledgerByOrder } from './support/orders.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const ADMIN = { id: 9001, name: 'admin', language: 'en' as const };

describe.each(DATABASE_KINDS)('a transaction credited once on %s', (kind) => {
  let fx: IngestFixture;
  let record: ReturnType<typeof createRecordNotification>;
  let review: ReturnType<typeof createReviewPayment>;

  beforeAll(async () => {
    fx = await openIngestFixture(kind);
    const transaction = transactionOf(fx.database.db);
    const clock = { now: () => new Date() };
    record = createRecordNotification({
      transaction,
      review: reviewSettingsOf(fx.config),
      clock,
      onQueued: () => {},
    });
    review = createReviewPayment({
      transaction,
      clock,
      timeZone: 'UTC',
      adminLanguage: 'en',
      onQueued: () => {},
    });
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  const deliver = async (
    key: string,
    fen: number,
    orderNo: string,
    verdict: string,
    transactionId: string,
  ) => {
    const payment: PaymentNotification = {
      kind: 'payment',
      ruleId: 'test-source',
      provider: 'alipay',
      amountFen: fen,
      payer: null,
      memo: orderNo,
      transactionId,
      time: null,
      notificationText: `test ${key}`,
      doubt: null,
    };
    const [outcome] = await record([
      {
        source: 'test',
        sourceKey: key,
        message: { receivedAt: new Date() },
        notification: { kind: 'payment', payment, auth: { verdict, detail: verdict } },
      },
    ]);
    return outcome;
  };
  const paymentIdOf = async (key: string) => {
    const [row] = await fx.database.rows<{ id: number }>(
      sql`select p.id::int as id from payments p join messages m on m.id = p.message_id where m.source_key = ${key}`,
    );
    if (!row) throw new Error(`no payment for ${key}`);
    return row.id;
  };

  it('refuses to approve a copy in review once the genuine notification credited the transaction', async () => {
    const orderNo = await fx.pendingOrder(5_511);
    expect(await deliver('copy-1', 5_511, orderNo, 'fail', '2026120322001400001')).toMatchObject({
      kind: 'review',
    });
    expect(await deliver('genuine-1', 5_511, orderNo, 'pass', '2026120322001400001')).toMatchObject({
      kind: 'credited',
    });
    const copy = await paymentIdOf('copy-1');
    const outcome = await review(ADMIN, { kind: 'approve', paymentId: copy, orderNo: null });
    expect(outcome).toEqual({
      kind: 'transaction_already_credited',
      transactionId: '2026120322001400001',
      creditedPaymentId: await paymentIdOf('genuine-1'),
    });
    const other = await fx.pendingOrder(5_512);
    expect(await review(ADMIN, { kind: 'assign', paymentId: copy, target: other })).toMatchObject({
      kind: 'transaction_already_credited',
    });
    const ledger = await ledgerByOrder(fx.database.rows);
    expect(ledger.get(orderNo)).toEqual({ n: 1, fen: 5_511 });
    expect(ledger.get(other)).toBeUndefined();
    const [row] = await fx.database.rows<{ status: string }>(
      sql`select status from payments where id = ${copy}`,
    );
    expect(row?.status).toBe('review');
    // Rejecting the copy still works.
    expect(await review(ADMIN, { kind: 'reject', paymentId: copy })).toMatchObject({ kind: 'decided' });
  });

  it('still approves a payment in review whose transaction no other payment credited', async () => {
    const orderNo = await fx.pendingOrder(5_513);
    await deliver('lonely-1', 5_513, orderNo, 'fail', '2026120322001400002');
    const outcome = await review(ADMIN, {
      kind: 'approve',
      paymentId: await paymentIdOf('lonely-1'),
      orderNo,
    });
    expect(outcome).toMatchObject({ kind: 'decided', decision: 'approve' });
    expect((await ledgerByOrder(fx.database.rows)).get(orderNo)).toEqual({ n: 1, fen: 5_513 });
  });
});
