// Order squatting (issue 10, point 11): per-customer limits on creating and cancelling orders, counted in the
// database, and the admins' alarm when every payable amount of a requested amount is held.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../src/modules/customers/create-customers.ts';
import { adminAudienceOf } from '../src/modules/notify/admin-audience.ts';
import { createSummariseHeldNotices } from '../src/modules/notify/admin-notices.ts';
import { zhAdminTexts as adminTexts } from '../src/modules/notify/admin-texts.ts';
import type { CreateOrderOutcome } from '../src/modules/orders/create-order.ts';
import { createCustomerOrders } from '../src/modules/orders/customer-orders.ts';
import type { Database } from '../src/shared/db/database.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { customerOfUser } from './support/customers.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import {
  customer,
  manualClock,
  openUseCaseDatabase,
  queuedFor,
  testConfig,
  type UseCaseDatabase,
} from './support/use-case-database.ts';

const T0 = new Date('2026-11-20T04:00:00Z');
const HOUR = 3_600_000;
const ADMIN = 9001; // testConfig's ADMIN_CHAT_IDS

describe.each(DATABASE_KINDS)('order limits on %s', (kind) => {
  let handle: UseCaseDatabase;
  let database: Database;
  beforeAll(async () => {
    handle = await openUseCaseDatabase(kind);
    database = handle.database;
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  let nextCustomer = 5000;
  const newCustomer = () => customer(++nextCustomer);
  /** A process's use cases: instances share nothing but the database. */
  function useCases(env: Record<string, string> = {}, clock = manualClock(T0)) {
    const config = testConfig(env);
    const db = database.db;
    const onQueued = () => {};
    const { telegramUsers } = createCustomers({ db, onQueued });
    return {
      clock,
      ...createCustomerOrders({
        db,
        config,
        clock,
        users: telegramUsers,
        randomIndex: (n) => Math.floor(Math.random() * n),
        mailboxState: () => 'connected',
        onQueued,
      }),
      summariseHeldNotices: createSummariseHeldNotices({
        transaction: transactionOf(db),
        clock,
        admins: adminAudienceOf(config),
        floodPerMinute: config.alarms.floodPerMinute,
        onQueued,
      }),
    };
  }
  const ordersOf = async (userId: number) => {
    const rows = await database.rows<{ status: string; n: number }>(
      sql`select status, count(*)::int as n from orders where customer_id = ${customerOfUser(userId)} group by status`,
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  };
  const orderNo = (outcome: CreateOrderOutcome) =>
    outcome.kind === 'created' ? outcome.order.orderNo : null;

  it('refuses one customer creating and cancelling 90 orders quickly once the hourly limits are reached', async () => {
    const { createOrder, cancelOrder } = useCases(); // defaults: 3 pending, 10 created and 5 cancelled an hour
    const squatter = newCustomer();
    const created: CreateOrderOutcome[] = [];
    const cancels: string[] = [];
    for (let i = 0; i < 90; i++) {
      const outcome = await createOrder(squatter, 3100);
      created.push(outcome);
      cancels.push((await cancelOrder(squatter.id, orderNo(outcome) ?? undefined)).kind);
    }
    // Five created and cancelled; three more created, whose cancellation is refused; then full.
    expect(created.filter((o) => o.kind === 'created')).toHaveLength(8);
    expect(cancels.slice(0, 8)).toEqual([...Array(5).fill('cancelled'), ...Array(3).fill('rejected')]);
    expect(created.slice(8).every((o) => o.kind === 'rejected' && o.code === 'order.too_many_pending')).toBe(
      true,
    );
    expect(await cancelOrder(squatter.id)).toEqual({
      kind: 'rejected',
      code: 'order.too_many_cancels',
      retryAt: new Date(T0.getTime() + HOUR),
    });
    expect(await ordersOf(squatter.id)).toEqual({ cancelled: 5, pending: 3 });
  });

  it('refuses the 11th unpaid order of the hour, says when to retry, and takes orders again after it', async () => {
    const { createOrder, cancelOrder, clock } = useCases({ MAX_CANCELS_PER_HOUR: '1000' });
    const churner = newCustomer();
    const outcomes: CreateOrderOutcome[] = [];
    for (let i = 0; i < 90; i++) {
      clock.set(new Date(T0.getTime() + i * 1_000));
      const outcome = await createOrder(churner, 3200);
      outcomes.push(outcome);
      if (outcome.kind === 'created') await cancelOrder(churner.id, outcome.order.orderNo);
    }
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(10);
    // The limit lifts an hour after the oldest of the ten.
    expect(outcomes[10]).toEqual({
      kind: 'rejected',
      code: 'order.too_many_recent',
      retryAt: new Date(T0.getTime() + HOUR),
    });
    expect(await ordersOf(churner.id)).toEqual({ cancelled: 10 });

    clock.set(new Date(T0.getTime() + HOUR - 1_000));
    expect(await createOrder(churner, 3200)).toMatchObject({ code: 'order.too_many_recent' });
    clock.set(new Date(T0.getTime() + HOUR));
    expect(await createOrder(churner, 3200)).toMatchObject({ kind: 'created' });
  });

  it('does not count paid orders against the hourly limit', async () => {
    const { createOrder } = useCases({ MAX_ORDERS_PER_HOUR: '2' });
    const payer = newCustomer();
    for (let i = 0; i < 2; i++) expect((await createOrder(payer, 3300)).kind).toBe('created');
    expect(await createOrder(payer, 3300)).toMatchObject({ code: 'order.too_many_recent' });
    await database.rows(
      sql`update orders set status = 'paid', closed_at = now() where customer_id = ${customerOfUser(payer.id)}`,
    );
    expect((await createOrder(payer, 3300)).kind).toBe('created');
  });

  it('holds the limits when two processes take one customer’s requests at the same moment', async () => {
    const first = useCases();
    const second = useCases();
    const who = newCustomer();
    const amounts = Array.from({ length: 10 }, (_, i) => 3400 + 10 * i);
    const outcomes = await Promise.all(
      amounts.flatMap((amount) => [first.createOrder(who, amount), second.createOrder(who, amount)]),
    );
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(3);
    expect(await ordersOf(who.id)).toEqual({ pending: 3 });
  });

  it('alarms the admins once when 17 customers hold every ¥10 amount, then sums up the refusals', async () => {
    // Default window: ¥10.00 down to ¥9.50, 51 amounts; 17 customers × 3 pending orders hold them all.
    const { createOrder, clock, summariseHeldNotices } = useCases();
    const squatters = Array.from({ length: 17 }, newCustomer);
    for (const squatter of squatters) {
      for (let i = 0; i < 3; i++) expect((await createOrder(squatter, 1000)).kind).toBe('created');
    }
    const refused = await Promise.all(Array.from({ length: 20 }, () => createOrder(newCustomer(), 1000)));
    refused.push(await createOrder(newCustomer(), 1000));
    expect(refused.every((o) => o.kind === 'rejected' && o.code === 'order.amounts_busy')).toBe(true);

    const windowAlarms = async () =>
      (await queuedFor(database, ADMIN)).filter((text) => text.includes('¥10.00 的应付金额'));
    expect(await windowAlarms()).toEqual([
      adminTexts.amountWindowFull({ requestedFen: 1000, lowestFen: 950, highestFen: 1000 }),
    ]);

    // Still full a window later: one summary of the 20 held refusals, and nothing more while none come.
    clock.set(new Date(T0.getTime() + 14 * 60_000));
    expect(await summariseHeldNotices()).toBe(0);
    clock.set(new Date(T0.getTime() + 15 * 60_000));
    expect(await summariseHeldNotices()).toBe(1);
    clock.set(new Date(T0.getTime() + 31 * 60_000));
    expect(await summariseHeldNotices()).toBe(0);
    expect(await windowAlarms()).toEqual([
      adminTexts.amountWindowFull({ requestedFen: 1000, lowestFen: 950, highestFen: 1000 }),
      adminTexts.amountWindowStillFull(1000, 20, 15),
    ]);
  });
});
