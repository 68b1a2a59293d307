// The one credit path: auto credit and an admin's approval pay the order, write the ledger, move the
// balance and tell the customer alike.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textsFor } from '../src/modules/notify/customer-texts.ts';
import { createCreateOrder, orderingSettingsOf } from '../src/modules/orders/create-order.ts';
import type { Order } from '../src/modules/orders/order.models.ts';
import { settlePayments } from '../src/modules/payments/settle-payments.ts';
import { createReviewPayment } from '../src/modules/review/review-payment.ts';
import { reviewSettingsOf } from '../src/modules/review/review-settings.ts';
import type { Database } from '../src/shared/db/database.ts';
import { inTransaction, transactionOf } from '../src/shared/db/store.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import {
  customer,
  manualClock,
  openUseCaseDatabase,
  queuedFor,
  testConfig,
  type UseCaseDatabase,
} from './support/use-case-database.ts';

describe.each(DATABASE_KINDS)('one credit path on %s', (kind) => {
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
  const clock = manualClock(new Date());
  let seq = 0;

  /** A new customer's order, and a payment of its amount naming it, held for review and linked to it. */
  async function orderAndPayment(amountFen: number): Promise<{ order: Order; paymentId: number }> {
    const createOrder = createCreateOrder({
      transaction: transactionOf(database.db),
      ...orderingSettingsOf(config),
      clock,
      randomIndex: (n) => randomInt(n),
      mailboxState: () => 'connected',
      onQueued: () => {},
    });
    const outcome = await createOrder(customer(7000 + ++seq), amountFen);
    if (outcome.kind !== 'created') throw new Error('no order');
    const { order } = outcome;
    const payment = await inTransaction(database.db, (store) =>
      store.payments.insertOnce({
        message: { source: 'mail', sourceKey: `<credit-${kind}-${seq}@test>`, receivedAt: clock.now() },
        parseKind: 'payment',
        amountFen: order.payableFen,
        memo: `充值 ${order.orderNo}`,
        authResult: 'pass',
        status: 'review',
        orderId: order.id,
      }),
    );
    if (!payment) throw new Error('payment not recorded');
    return { order, paymentId: payment.id };
  }

  /** What the customer sees and what the books say after the credit, with the ids taken out. */
  async function aftermath(order: Order, paymentId: number) {
    const ledger = await database.rows<{
      kind: string;
      amount_fen: string;
      order_id: string;
      payment_id: string;
    }>(
      sql`select kind, amount_fen::text, order_id::text, payment_id::text from ledger_entries
          where customer_id = ${order.customerId}`,
    );
    const [customerRow] = await database.rows<{ balance_fen: string; chat_id: number }>(
      sql`select balance_fen::text, chat_id::int from customers where id = ${order.customerId}`,
    );
    const [orderRow] = await database.rows<{ status: string }>(
      sql`select status from orders where id = ${order.id}`,
    );
    const [paymentRow] = await database.rows<{ status: string; order_id: string }>(
      sql`select status, order_id::text from payments where id = ${paymentId}`,
    );
    const messages = await queuedFor(database, customerRow?.chat_id ?? 0);
    return {
      ledger: ledger.map((e) => ({
        kind: e.kind,
        amountFen: Number(e.amount_fen),
        paysThisOrder: Number(e.order_id) === order.id,
        forThisPayment: Number(e.payment_id) === paymentId,
      })),
      balanceFen: Number(customerRow?.balance_fen),
      orderStatus: orderRow?.status,
      payment: { status: paymentRow?.status, paysThisOrder: Number(paymentRow?.order_id) === order.id },
      lastMessage: messages.at(-1),
      expectedMessage: textsFor('zh').credited(order.orderNo, order.requestedFen, order.requestedFen),
    };
  }

  it('credits a matched payment and an approved one with the same ledger entry, balance and message', async () => {
    const auto = await orderAndPayment(4100);
    await inTransaction(database.db, async (store) => {
      const row = await store.decisions.payment(auto.paymentId);
      if (!row) throw new Error('payment gone');
      const [outcome] = await settlePayments(
        store,
        { review: reviewSettingsOf(config), now: clock.now() },
        [{ row, paidAt: clock.now() }],
        [],
      );
      expect(outcome).toMatchObject({ kind: 'credited', orderNo: auto.order.orderNo });
    });

    const approved = await orderAndPayment(4200);
    const reviewPayment = createReviewPayment({
      transaction: transactionOf(database.db),
      clock,
      timeZone: config.timeZone,
      adminLanguage: 'en',
      onQueued: () => {},
    });
    const admin = { id: 9001, name: '@boss', language: 'en' as const };
    expect(
      await reviewPayment(admin, { kind: 'approve', paymentId: approved.paymentId, orderNo: null }),
    ).toEqual({
      kind: 'decided',
      decision: 'approve',
      target: approved.order.orderNo,
    });

    const byAuto = await aftermath(auto.order, auto.paymentId);
    const byAdmin = await aftermath(approved.order, approved.paymentId);
    expect(byAuto).toEqual({
      ledger: [{ kind: 'credit', amountFen: 4100, paysThisOrder: true, forThisPayment: true }],
      balanceFen: 4100,
      orderStatus: 'paid',
      payment: { status: 'matched', paysThisOrder: true },
      lastMessage: byAuto.expectedMessage,
      expectedMessage: byAuto.expectedMessage,
    });
    expect(byAdmin).toEqual({
      ...byAuto,
      ledger: [{ kind: 'credit', amountFen: 4200, paysThisOrder: true, forThisPayment: true }],
      balanceFen: 4200,
      lastMessage: byAdmin.expectedMessage,
      expectedMessage: byAdmin.expectedMessage,
    });
  });
});
