// Orders as use cases over a real database, with the clock and the randomness in the test's hands:
// payable amounts, order numbers, the per-customer limit, cancelling, the expiry sweep and /orders.

import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../src/modules/customers/create-customers.ts';
import { formatLocalTime, textsFor } from '../src/modules/notify/customer-texts.ts';
import type { CreateOrderOutcome } from '../src/modules/orders/create-order.ts';
import { createCustomerOrders } from '../src/modules/orders/customer-orders.ts';
import { createExpireOrders } from '../src/modules/orders/expire-orders.ts';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
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

const T0 = new Date('2026-11-20T04:00:00Z'); // 12:00 in Asia/Shanghai

describe.each(DATABASE_KINDS)('orders on %s', (kind) => {
  let handle: UseCaseDatabase;
  let database: Database;
  beforeAll(async () => {
    handle = await openUseCaseDatabase(kind);
    database = handle.database;
  });
  afterAll(async () => {
    await handle?.dispose();
  });

  let nextCustomer = 1000;
  const newCustomer = (languageCode: string | null = null) => customer(++nextCustomer, languageCode);
  /** Each test uses its own amounts, so the pending orders of other tests never interfere. */
  function useCases(env: Record<string, string> = {}, randomIndex = (n: number) => randomInt(n)) {
    const config = testConfig(env);
    const clock = manualClock(T0);
    const db = database.db;
    const onQueued = () => {};
    const { telegramUsers } = createCustomers({ db, onQueued });
    return {
      config,
      clock,
      ...createCustomerOrders({
        db,
        config,
        clock,
        users: telegramUsers,
        randomIndex,
        mailboxState: () => 'connected',
        onQueued,
      }),
      expireOrders: createExpireOrders({ transaction: transactionOf(db), clock, onQueued }),
    };
  }
  const payable = (outcome: CreateOrderOutcome) =>
    outcome.kind === 'created' ? outcome.order.payableFen : null;

  it('gives the requested amount first, then one fen down per pending order, up to AMOUNT_OFFSET_MAX_FEN', async () => {
    const { createOrder } = useCases({ AMOUNT_OFFSET_MAX_FEN: '2' });
    const amounts = [];
    for (let i = 0; i < 4; i++) amounts.push(payable(await createOrder(newCustomer(), 1100)));
    expect(amounts).toEqual([1100, 1099, 1098, null]);
  });

  it('tells the customer to retry shortly when every amount in the window is taken, and creates nothing', async () => {
    const { createOrder } = useCases({ AMOUNT_OFFSET_MAX_FEN: '0' });
    expect(payable(await createOrder(newCustomer(), 1200))).toBe(1200);
    const late = newCustomer('en');
    expect(await createOrder(late, 1200)).toEqual({ kind: 'rejected', code: 'order.amounts_busy' });
    const [row] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from orders where customer_id = ${customerOfUser(late.id)}`,
    );
    expect(row?.n).toBe(0);
    expect(textsFor('en').amountsBusy).toMatch(/retry shortly/);
  });

  it('steps up with AMOUNT_OFFSET_DIRECTION=up', async () => {
    const { createOrder } = useCases({ AMOUNT_OFFSET_MAX_FEN: '5', AMOUNT_OFFSET_DIRECTION: 'up' });
    const first = payable(await createOrder(newCustomer(), 1300));
    const second = payable(await createOrder(newCustomer(), 1300));
    expect([first, second]).toEqual([1300, 1301]);
  });

  it('never makes a payable amount of zero or less', async () => {
    const { createOrder } = useCases({ RECHARGE_MIN: '0.01', AMOUNT_OFFSET_MAX_FEN: '50' });
    const amounts = [];
    for (let i = 0; i < 3; i++) amounts.push(payable(await createOrder(newCustomer(), 2)));
    expect(amounts).toEqual([2, 1, null]);
  });

  it('frees the amount of a cancelled order for the next one', async () => {
    const { createOrder, cancelOrder } = useCases({ AMOUNT_OFFSET_MAX_FEN: '0' });
    const first = newCustomer();
    const created = await createOrder(first, 1400);
    expect(payable(created)).toBe(1400);
    expect(await createOrder(newCustomer(), 1400)).toMatchObject({ code: 'order.amounts_busy' });
    expect(await cancelOrder(first.id)).toEqual({
      kind: 'cancelled',
      orderNos: [created.kind === 'created' ? created.order.orderNo : ''],
    });
    expect(payable(await createOrder(newCustomer(), 1400))).toBe(1400);
  });

  it('draws a new order number when the one drawn is already taken', async () => {
    // Draws: AAAAAAAA for the first order, AAAAAAAA again (taken) then BBBBBBBB for the second.
    const script = [...Array(8).fill(0), ...Array(8).fill(0), ...Array(8).fill(1)];
    const { createOrder } = useCases({}, () => script.shift() ?? 2);
    const first = await createOrder(newCustomer(), 1500);
    const second = await createOrder(newCustomer(), 1500);
    expect(first).toMatchObject({ kind: 'created', order: { orderNo: 'AAAAAAAA', payableFen: 1500 } });
    expect(second).toMatchObject({ kind: 'created', order: { orderNo: 'BBBBBBBB', payableFen: 1499 } });
    expect(ORDER_NUMBER_ALPHABET.slice(0, 2)).toBe('AB');
  });

  it('holds a customer to MAX_PENDING_PER_CUSTOMER pending orders', async () => {
    const { createOrder } = useCases({ MAX_PENDING_PER_CUSTOMER: '2' });
    const who = newCustomer();
    const outcomes = [];
    for (const amount of [1600, 1650, 1700]) outcomes.push((await createOrder(who, amount)).kind);
    expect(outcomes).toEqual(['created', 'created', 'rejected']);
  });

  it('holds a customer to MAX_PENDING_PER_CUSTOMER when the requests arrive at once', async () => {
    const { createOrder } = useCases({ MAX_PENDING_PER_CUSTOMER: '3' });
    const who = newCustomer();
    const outcomes = await Promise.all(
      [2000, 2010, 2020, 2030, 2040, 2050].map((amount) => createOrder(who, amount)),
    );
    expect(outcomes.filter((o) => o.kind === 'created')).toHaveLength(3);
    expect(outcomes.filter((o) => o.kind === 'rejected' && o.code === 'order.too_many_pending')).toHaveLength(
      3,
    );
  });

  it('creates the orders of customers asking at the same moment together, each at its own amount', async () => {
    const { createOrder } = useCases({ AMOUNT_OFFSET_MAX_FEN: '3' });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => createOrder(newCustomer(), 2100)));
    expect(outcomes.map(payable)).toEqual([2100, 2099, 2098, 2097, null]);
    expect(outcomes[4]).toEqual({ kind: 'rejected', code: 'order.amounts_busy' });
  });

  it('fails only the request the database refuses when customers ask at the same moment', async () => {
    const { createOrder } = useCases();
    const refused = { ...newCustomer(), firstName: 'nul\u0000name' };
    const outcomes = await Promise.allSettled([
      createOrder(newCustomer(), 2200),
      createOrder(refused, 2200),
      createOrder(newCustomer(), 2200),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const created = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [payable(o.value)] : []));
    expect(created.sort()).toEqual([2199, 2200]);
    const [row] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from orders where customer_id = ${customerOfUser(refused.id)}`,
    );
    expect(row?.n).toBe(0);
  });

  it('expires orders only once past ORDER_TTL_SECONDS, tells the customer and frees the amount', async () => {
    const { createOrder, expireOrders, clock } = useCases({
      ORDER_TTL_SECONDS: '600',
      AMOUNT_OFFSET_MAX_FEN: '0',
    });
    const owner = newCustomer('en');
    const created = await createOrder(owner, 1800);
    if (created.kind !== 'created') throw new Error('no order');
    const { orderNo } = created.order;

    clock.set(new Date(T0.getTime() + 600_000)); // the very second it expires: still open
    expect(await expireOrders()).not.toContain(orderNo);
    clock.set(new Date(T0.getTime() + 601_000));
    expect(await expireOrders()).toContain(orderNo);
    expect(await expireOrders()).not.toContain(orderNo); // a second sweep changes nothing

    const [row] = await database.rows<{ status: string }>(
      sql`select status from orders where order_no = ${orderNo}`,
    );
    expect(row?.status).toBe('expired');
    const messages = await queuedFor(database, owner.id);
    expect(messages).toHaveLength(2); // the order photo, then the expiry notice
    expect(messages[1]).toBe(textsFor('en').expired(orderNo));

    expect(payable(await createOrder(newCustomer(), 1800))).toBe(1800);
  });

  it('lists the latest orders, newest first, with status, amounts and times in TZ', async () => {
    const { createOrder, cancelOrder, listOrders, clock, config } = useCases({ TZ: 'Asia/Shanghai' });
    const who = newCustomer('en');
    const first = await createOrder(who, 1900);
    clock.set(new Date(T0.getTime() + 60_000));
    await createOrder(who, 1900);
    if (first.kind !== 'created') throw new Error('no order');
    await cancelOrder(who.id, first.order.orderNo);

    const listed = await listOrders(who.id);
    expect(listed.map((o) => [o.status, o.requestedFen, o.payableFen])).toEqual([
      ['pending', 1900, 1899],
      ['cancelled', 1900, 1900],
    ]);
    const text = textsFor('en').ordersList(
      listed.map((o) => ({
        ...o,
        createdAt: formatLocalTime(o.createdAt, config.timeZone),
        expiresAt: formatLocalTime(o.expiresAt, config.timeZone),
      })),
    );
    expect(text.split('\n')).toEqual([
      'Your latest orders:',
      expect.stringMatching(
        /^<code>[A-Z2-9]{8}<\/code> ¥19\.00 \(pay ¥18\.99\) · unpaid · created 2026-11-20 12:01 · pay before 2026-11-20 12:16$/,
      ),
      `<code>${first.order.orderNo}</code> ¥19.00 · cancelled · created 2026-11-20 12:00`,
    ]);
  });
});
