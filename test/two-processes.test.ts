// Two service processes (`npm start`'s command) on one PostgreSQL database and one mailbox ingest the same
// 100 notifications: each is recorded once and credited exactly once (checked in the ledger).
// PostgreSQL only: an embedded PGlite database belongs to one process.

import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCheckInvariants } from '../src/modules/ledger/check-invariants.ts';
import { createCreateOrder, orderingSettingsOf } from '../src/modules/orders/create-order.ts';
import type { Order } from '../src/modules/orders/order.models.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { formatFen } from '../src/shared/money.ts';
import { eventually } from './support/eventually.ts';
import { freePort } from './support/free-port.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import {
  fetchHealth,
  processedMessages,
  type ServiceProcess,
  spawnService,
} from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { customer, manualClock, testConfig } from './support/use-case-database.ts';

const PAYMENTS = 100;

describe('two service processes on one database and one mailbox', () => {
  let stack: Stack;
  let database: Database;
  const processes: ServiceProcess[] = [];
  beforeAll(async () => {
    stack = await startStack('postgres', { AMOUNT_OFFSET_MAX_FEN: '150', LOG_LEVEL: 'info' });
    database = await openDatabase({ url: stack.env.DATABASE_URL, dataDir: stack.env.DATA_DIR ?? '' });
  });
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGKILL');
    await database?.close();
    await stack?.dispose();
  });

  it('credits each of 100 notifications exactly once', async () => {
    // A service that watched the (empty) mailbox before: mail arriving from now on is caught up on.
    await stack.startService();
    await eventually(async () => {
      const [cursor] = await database.rows(sql`select 1 from mailbox_cursors`);
      return cursor;
    });
    await stack.stopService();

    // 100 customers each hold an order for ¥10.00; their payable amounts are ¥10.00 down to ¥9.01.
    const createOrder = createCreateOrder({
      transaction: transactionOf(database.db),
      ...orderingSettingsOf(testConfig({ AMOUNT_OFFSET_MAX_FEN: '150' })),
      clock: manualClock(new Date()),
      randomIndex: (n) => randomInt(n),
      mailboxState: () => 'connected',
      onQueued: () => {},
    });
    const orders: Order[] = [];
    for (let i = 0; i < PAYMENTS; i++) {
      const outcome = await createOrder(customer(200_000 + i), 1000);
      if (outcome.kind !== 'created') throw new Error(`order ${i} not created`);
      orders.push(outcome.order);
    }
    // Half name the order in the memo (transfers), half are scan-to-pay notifications matched by amount.
    const mails = orders.map((order, i) =>
      i % 2 === 0
        ? forwardedAlipayTransfer({ amount: formatFen(order.payableFen), memo: `充值 ${order.orderNo}` })
        : forwardedAlipayTransfer({ amount: formatFen(order.payableFen) }),
    );

    // The first half waits in the mailbox, so both processes catch up on it at once when they start.
    for (const mail of mails.slice(0, PAYMENTS / 2)) await stack.deliver(mail);
    const ports = [stack.env.HTTP_PORT ?? '', String(await freePort())];
    for (const port of ports) processes.push(spawnService({ ...stack.env, HTTP_PORT: port }));
    for (const port of ports) {
      await eventually(async () => ((await fetchHealth(port))?.body.components ? true : undefined), 60_000);
    }
    // The second half arrives while both are watching.
    for (const mail of mails.slice(PAYMENTS / 2)) await stack.deliver(mail);

    const settled = await eventually(async () => {
      const [row] = await database.rows<{ n: number }>(
        sql`select count(*)::int as n from payments where status <> 'review' or review_reason is not null`,
      );
      return row?.n === PAYMENTS ? row : undefined;
    }, 90_000);
    expect(settled.n).toBe(PAYMENTS);

    const payments = await database.rows<{ status: string; review_reason: string | null }>(
      sql`select status, review_reason from payments`,
    );
    expect(payments).toHaveLength(PAYMENTS);
    expect(payments.filter((p) => p.status !== 'matched')).toEqual([]);

    const credits = await database.rows<{ order_id: number; customer_id: number; amount_fen: number }>(
      sql`select order_id::int, customer_id::int, amount_fen::int from ledger_entries where kind = 'credit'`,
    );
    expect(credits).toHaveLength(PAYMENTS);
    expect(new Set(credits.map((c) => c.order_id)).size).toBe(PAYMENTS);
    expect(credits.every((c) => c.amount_fen === 1000)).toBe(true);
    const paid = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from orders where status = 'paid'`,
    );
    expect(paid[0]?.n).toBe(PAYMENTS);
    expect(await createCheckInvariants({ db: database.db })()).toEqual({
      ok: true,
      balanceMismatches: [],
      ordersPaidTwice: [],
    });

    // Each customer is told once, whichever process's outbox sends it.
    await eventually(async () => {
      const told = stack.telegram.sent.filter((m) => (m.text ?? '').includes('✅'));
      return told.length >= PAYMENTS ? true : undefined;
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const told = stack.telegram.sent.filter((m) => (m.text ?? '').includes('✅'));
    expect(told).toHaveLength(PAYMENTS);
    expect(new Set(told.map((m) => m.chatId)).size).toBe(PAYMENTS);

    // Between them the processes logged one credit per notification; the rest they found already done
    // (they share the mailbox cursor, so neither has to see every message).
    const outcomesOf = () =>
      processes.map((p) => {
        const messages = processedMessages(p.output().stdout);
        const count = (kind: string) => messages.filter((m) => m.outcome === kind).length;
        return { seen: messages.length, credited: count('credited'), duplicate: count('duplicate') };
      });
    const creditedInLogs = () => outcomesOf().reduce((sum, o) => sum + o.credited, 0);
    await eventually(async () => (creditedInLogs() >= PAYMENTS ? true : undefined));
    console.info(`two processes, ${PAYMENTS} notifications:`, JSON.stringify(outcomesOf()));
    expect(creditedInLogs()).toBe(PAYMENTS);

    for (const p of processes) p.child.kill('SIGTERM');
    expect(await Promise.all(processes.map((p) => p.exited))).toEqual([0, 0]);
    processes.length = 0;
  }, 240_000);
});
