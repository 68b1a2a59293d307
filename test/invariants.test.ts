// The money invariants check (/health reports it): it passes on honest data and names each kind of breach.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckInvariants } from '../src/modules/ledger/check-invariants.ts';
import { createCreateOrder, orderingSettingsOf } from '../src/modules/orders/create-order.ts';
import { OPEN_STATUSES } from '../src/modules/orders/order.models.ts';
import { credit } from '../src/modules/payments/credit.ts';
import type { Database } from '../src/shared/db/database.ts';
import { inTransaction, transactionOf } from '../src/shared/db/store.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import {
  customer,
  manualClock,
  openUseCaseDatabase,
  testConfig,
  type UseCaseDatabase,
} from './support/use-case-database.ts';

describe.each(DATABASE_KINDS)('invariants check on %s', (kind) => {
  let handle: UseCaseDatabase;
  let database: Database;
  beforeAll(async () => {
    handle = await openUseCaseDatabase(kind);
    database = handle.database;
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  let seq = 0;
  /** An order for a new customer, credited through a recorded payment, as ingestion does it. */
  async function paidOrder(amountFen: number) {
    const clock = manualClock(new Date());
    const createOrder = createCreateOrder({
      transaction: transactionOf(database.db),
      ...orderingSettingsOf(testConfig()),
      clock,
      randomIndex: (n) => randomInt(n),
      mailboxState: () => 'connected',
      onQueued: () => {},
    });
    const outcome = await createOrder(customer(5000 + ++seq), amountFen);
    if (outcome.kind !== 'created') throw new Error('no order');
    const { order } = outcome;
    await inTransaction(database.db, async (store) => {
      const payment = await store.payments.insertOnce({
        mailbox: 'INBOX',
        uidValidity: 1n,
        uid: seq,
        messageKey: `<invariants-${kind}-${seq}@test>`,
        parseKind: 'payment',
        amountFen: order.payableFen,
        authResult: 'pass',
        status: 'review',
      });
      if (!payment) throw new Error('payment not recorded');
      const [credited] = await credit(
        store,
        [
          {
            order,
            customerId: order.customerId,
            amountFen: order.requestedFen,
            paymentId: payment.id,
            actor: 'test',
          },
        ],
        { at: clock.now(), orderFrom: OPEN_STATUSES },
      );
      expect(credited).not.toBeNull();
    });
    return order;
  }

  it('passes when every balance equals its ledger and every order is paid once', async () => {
    await paidOrder(1000);
    await paidOrder(2000);
    const check = createCheckInvariants({ db: database.db });
    expect(await check()).toEqual({ ok: true, balanceMismatches: [], ordersPaidTwice: [] });
  });

  it('names a customer whose balance differs from the sum of their ledger entries', async () => {
    const order = await paidOrder(3000);
    await database.rows(
      sql`update customers set balance_fen = balance_fen + 1 where id = ${order.customerId}`,
    );
    const report = await createCheckInvariants({ db: database.db })();
    expect(report).toMatchObject({ ok: false, balanceMismatches: [order.customerId], ordersPaidTwice: [] });
    await database.rows(
      sql`update customers set balance_fen = balance_fen - 1 where id = ${order.customerId}`,
    );
  });

  it('refuses, by constraint, a second credit entry for an order already credited', async () => {
    const order = await paidOrder(3500);
    await expect(
      database.rows(
        sql`insert into ledger_entries (customer_id, amount_fen, kind, order_id)
            values (${order.customerId}, ${order.requestedFen}, 'credit', ${order.id})`,
      ),
    ).rejects.toThrow();
    expect((await createCheckInvariants({ db: database.db })()).ok).toBe(true);
  });

  it('names an order credited twice (possible only once the constraints are gone)', async () => {
    const order = await paidOrder(4000);
    await database.rows(sql`drop index ledger_credit_order_key`);
    await database.rows(sql`drop index ledger_credit_payment_key`);
    await database.rows(
      sql`insert into ledger_entries (customer_id, amount_fen, kind, order_id)
          values (${order.customerId}, ${order.requestedFen}, 'credit', ${order.id})`,
    );
    await database.rows(
      sql`update customers set balance_fen = balance_fen + ${order.requestedFen} where id = ${order.customerId}`,
    );
    const report = await createCheckInvariants({ db: database.db })();
    expect(report).toEqual({ ok: false, balanceMismatches: [], ordersPaidTwice: [order.orderNo] });
  });
});
