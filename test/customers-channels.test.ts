// Customers by (channel, external id): an installed database upgrades in place, and a customer of another
// channel than Telegram (the merchant API) is credited and holds a balance with no Telegram message queued.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credit } from '../src/modules/payments/credit.ts';
import { type Database, openDatabase, openPgliteClient } from '../src/shared/db/database.ts';
import { inTransaction } from '../src/shared/db/store.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';
import { customer } from './support/use-case-database.ts';

/** The last migration before customers had channels. */
const BEFORE_CHANNELS = '0006_admin_notice_windows';

/** The migrations folder as it was up to `lastTag`. */
function migrationsUpTo(lastTag: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'mailpay-migrations-'));
  cpSync('migrations', folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  journal.entries = journal.entries.slice(0, last + 1);
  writeFileSync(journalPath, JSON.stringify(journal));
  return folder;
}

/** Runs `statements` on a database migrated only up to `lastTag`, as an installed older version left it. */
async function installOlderVersion(test: TestDatabase, lastTag: string, statements: string): Promise<void> {
  const migrationsFolder = migrationsUpTo(lastTag);
  try {
    if (test.env.DATABASE_URL) {
      const client = postgres(test.env.DATABASE_URL, { max: 1, onnotice: () => {} });
      try {
        await migratePostgres(drizzlePostgres(client), { migrationsFolder });
        await client.unsafe(statements);
      } finally {
        await client.end();
      }
      return;
    }
    const { client, close } = await openPgliteClient(test.env.DATA_DIR);
    try {
      await migratePglite(drizzlePglite(client), { migrationsFolder });
      await client.exec(statements);
    } finally {
      await close();
    }
  } finally {
    rmSync(migrationsFolder, { recursive: true, force: true });
  }
}

describe.each(DATABASE_KINDS)('customers by channel on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    // Two Telegram customers of the previous version: ids are Telegram user ids; one has an order and a credit.
    await installOlderVersion(
      test,
      BEFORE_CHANNELS,
      `insert into customers (id, chat_id, first_name, balance_fen) values (700001, 700001, 'Old', 1000),
                                                                            (700002, 700002, 'Older', 0);
       insert into orders (order_no, customer_id, requested_fen, payable_fen, status, expires_at, closed_at)
         values ('OLDORDER', 700001, 1000, 1000, 'paid', now(), now());
       insert into ledger_entries (customer_id, amount_fen, kind, order_id, actor)
         select 700001, 1000, 'credit', id, 'auto:test' from orders where order_no = 'OLDORDER';`,
    );
    database = await openDatabase({ url: test.env.DATABASE_URL, dataDir: test.env.DATA_DIR });
  });
  afterAll(async () => {
    await database?.close();
    await test?.drop();
  });

  it('upgrades the customers of an installed database in place: Telegram customers keeping their ids', async () => {
    expect(
      await database.rows(
        sql`select id::int, channel, external_id, chat_id::int, balance_fen::int from customers order by id`,
      ),
    ).toEqual([
      { id: 700001, channel: 'telegram', external_id: '700001', chat_id: 700001, balance_fen: 1000 },
      { id: 700002, channel: 'telegram', external_id: '700002', chat_id: 700002, balance_fen: 0 },
    ]);
    expect(
      await database.rows(
        sql`select l.customer_id::int as customer_id from ledger_entries l join orders o on o.id = l.order_id`,
      ),
    ).toEqual([{ customer_id: 700001 }]);
  });

  it('finds an upgraded Telegram customer by user id, and gives a new one an id above every old one', async () => {
    const found = await inTransaction(database.db, (store) =>
      store.telegramCustomers.upsertAll([customer(700001), customer(42)]),
    );
    expect(found.get(700001)?.id).toBe(700001);
    expect(found.get(42)?.id).toBeGreaterThan(700002);
  });

  it('credits a customer of the API channel, who then holds a balance, with no Telegram message queued', async () => {
    const outboxBefore = await database.rows<{ n: number }>(sql`select count(*)::int as n from outbox`);
    const balanceFen = await inTransaction(database.db, async (store) => {
      const merchantCustomer = await store.customers.findOrCreate('api', 'shop-7:alice');
      expect(merchantCustomer).toMatchObject({ channel: 'api', externalId: 'shop-7:alice', chatId: null });
      expect(await store.customers.findOrCreate('api', 'shop-7:alice')).toEqual(merchantCustomer);
      const now = new Date();
      const [order] = await store.orders.insertAtFreeAmounts(
        { requestedFen: 2500, provider: null, createdAt: now, expiresAt: new Date(now.getTime() + 600_000) },
        [{ orderNo: 'APIORDER', customerId: merchantCustomer.id }],
        { fromFen: 2500, step: -1, count: 1 },
      );
      if (!order) throw new Error('no order');
      const payment = await store.payments.insertOnce({
        message: { source: 'mail', sourceKey: `<api-customer-${kind}@test>` },
        parseKind: 'payment',
        amountFen: 2500,
        authResult: 'pass',
        status: 'review',
      });
      if (!payment) throw new Error('payment not recorded');
      const [credited] = await credit(
        store,
        [{ paymentId: payment.id, order, customerId: merchantCustomer.id, amountFen: 2500, actor: 'test' }],
        { at: now, orderFrom: ['pending'] },
      );
      return credited?.balanceFen;
    });
    expect(balanceFen).toBe(2500);
    expect(
      await database.rows(
        sql`select balance_fen::int from customers where channel = 'api' and external_id = 'shop-7:alice'`,
      ),
    ).toEqual([{ balance_fen: 2500 }]);
    expect(await database.rows(sql`select count(*)::int as n from outbox`)).toEqual(outboxBefore);
  });
});
