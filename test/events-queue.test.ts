// Events queued in the transaction of the change (EVENTS_WEBHOOK_URL set): a credit, an admin's approval,
// rejection and refund of a payment in review, and an order's refund, each with its one body shape.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCreateOrder, orderingSettingsOf } from '../src/modules/orders/create-order.ts';
import type { Order } from '../src/modules/orders/order.models.ts';
import { createRefundOrder } from '../src/modules/orders/refund-order.ts';
import { settlePayments } from '../src/modules/payments/settle-payments.ts';
import { createReviewPayment } from '../src/modules/review/review-payment.ts';
import { reviewSettingsOf } from '../src/modules/review/review-settings.ts';
import type { Database } from '../src/shared/db/database.ts';
import { inTransaction, transactionOf } from '../src/shared/db/store.ts';
import { queuedEvents } from './support/balance-api.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import {
  customer,
  manualClock,
  openUseCaseDatabase,
  testConfig,
  type UseCaseDatabase,
} from './support/use-case-database.ts';

const EVENTS = { events: true };
const admin = { id: 9001, name: '@boss', language: 'en' as const };
const eventId = expect.stringMatching(/^evt_[0-9a-f]{32}$/);

describe.each(DATABASE_KINDS)('events queued on %s', (kind) => {
  let handle: UseCaseDatabase;
  let database: Database;
  beforeAll(async () => {
    handle = await openUseCaseDatabase(kind);
    database = handle.database;
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  const config = testConfig();
  const clock = manualClock(new Date('2026-05-01T08:00:00Z'));
  let seq = 0;
  const reviewPayment = () =>
    createReviewPayment({
      transaction: transactionOf(database.db, EVENTS),
      clock,
      timeZone: config.timeZone,
      adminLanguage: 'en',
      onQueued: () => {},
    });

  /** A Telegram user's order and a payment naming it, held for review. */
  async function orderAndPayment(
    amountFen: number,
  ): Promise<{ order: Order; paymentId: number; userId: number }> {
    const userId = 8000 + ++seq;
    const createOrder = createCreateOrder({
      transaction: transactionOf(database.db),
      ...orderingSettingsOf(config),
      clock,
      randomIndex: (n) => randomInt(n),
      mailboxState: () => 'connected',
      onQueued: () => {},
    });
    const outcome = await createOrder(customer(userId), amountFen);
    if (outcome.kind !== 'created') throw new Error('no order');
    const { order } = outcome;
    const payment = await inTransaction(database.db, (store) =>
      store.payments.insertOnce({
        message: { source: 'mail', sourceKey: `<events-${kind}-${seq}@test>`, receivedAt: clock.now() },
        parseKind: 'payment',
        amountFen: order.payableFen,
        memo: `充值 ${order.orderNo}`,
        authResult: 'pass',
        status: 'review',
        orderId: order.id,
      }),
    );
    if (!payment) throw new Error('payment not recorded');
    return { order, paymentId: payment.id, userId };
  }

  async function autoCredit(paymentId: number, settings = EVENTS) {
    await inTransaction(
      database.db,
      async (store) => {
        const row = await store.decisions.payment(paymentId);
        if (!row) throw new Error('payment gone');
        await settlePayments(
          store,
          { review: reviewSettingsOf(config), now: clock.now() },
          [{ row, paidAt: clock.now() }],
          [],
        );
      },
      settings,
    );
  }

  const newEvents = async (since: number) => (await queuedEvents(database)).slice(since);

  it('queues payment.credited with the credit, and nothing while events are off', async () => {
    const off = await orderAndPayment(1200);
    const before = (await queuedEvents(database)).length;
    await autoCredit(off.paymentId, { events: false });
    expect(await newEvents(before)).toEqual([]);

    const on = await orderAndPayment(1500);
    await autoCredit(on.paymentId);
    expect(await newEvents(before)).toEqual([
      {
        id: eventId,
        type: 'payment.credited',
        created_at: clock.now().toISOString(),
        data: {
          customer: `telegram:${on.userId}`,
          order_no: on.order.orderNo,
          payment_id: on.paymentId,
          amount: '15.00',
          balance: '15.00',
          by: 'auto:memo',
        },
      },
    ]);
  });

  it('queues review.decided for an approval, with the credit it makes', async () => {
    const { order, paymentId, userId } = await orderAndPayment(2200);
    const before = (await queuedEvents(database)).length;
    await reviewPayment()(admin, { kind: 'approve', paymentId, orderNo: null });
    const events = await newEvents(before);
    expect(events.map((event) => event.type).sort()).toEqual(['payment.credited', 'review.decided']);
    expect(events.find((event) => event.type === 'review.decided')).toEqual({
      id: eventId,
      type: 'review.decided',
      created_at: clock.now().toISOString(),
      data: {
        payment_id: paymentId,
        decision: 'approve',
        amount: '22.00',
        order_no: order.orderNo,
        customer: `telegram:${userId}`,
        by: 'admin:9001',
      },
    });
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it('queues review.decided for a rejection and a refund to the payer, crediting nothing', async () => {
    const rejected = await orderAndPayment(3300);
    const refunded = await orderAndPayment(3400);
    const before = (await queuedEvents(database)).length;
    await reviewPayment()(admin, { kind: 'reject', paymentId: rejected.paymentId });
    await reviewPayment()(admin, { kind: 'refund', paymentId: refunded.paymentId });
    expect((await newEvents(before)).map((event) => event.data)).toEqual([
      {
        payment_id: rejected.paymentId,
        decision: 'reject',
        amount: '33.00',
        order_no: null,
        customer: null,
        by: 'admin:9001',
      },
      {
        payment_id: refunded.paymentId,
        decision: 'refund',
        amount: '34.00',
        order_no: null,
        customer: null,
        by: 'admin:9001',
      },
    ]);
  });

  it("queues order.refunded with an admin's refund of a credited order", async () => {
    const { order, paymentId, userId } = await orderAndPayment(4400);
    await autoCredit(paymentId);
    const before = (await queuedEvents(database)).length;
    const refundOrder = createRefundOrder({
      transaction: transactionOf(database.db, EVENTS),
      clock,
      onQueued: () => {},
    });
    expect(await refundOrder(admin, order.orderNo, 'customer asked')).toMatchObject({ kind: 'refunded' });
    expect(await newEvents(before)).toEqual([
      {
        id: eventId,
        type: 'order.refunded',
        created_at: clock.now().toISOString(),
        data: {
          customer: `telegram:${userId}`,
          order_no: order.orderNo,
          amount: '44.00',
          balance: '0.00',
          reason: 'customer asked',
          by: 'admin:9001',
        },
      },
    ]);
  });
});
