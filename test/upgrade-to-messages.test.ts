// An installed database upgrades in place: built with the turn-1 migrations (0000..0006) and filled as the
// service filled it, then migrated to the latest, every row keeps its meaning — each payment gets its message.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPaymentsRepository } from '../src/modules/payments/payments.repository.ts';
import { type Database, openDatabase, openPgliteClient } from '../src/shared/db/database.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

/** The turn-1 schema: the migrations folder as it was, journal cut after 0006. */
async function turnOneMigrations(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'mailpay-turn1-'));
  await cp(new URL('../migrations', import.meta.url), folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: Array<{ idx: number }> };
  journal.entries = journal.entries.filter((entry) => entry.idx <= 6);
  await writeFile(journalPath, JSON.stringify(journal));
  return folder;
}

/** What the service wrote before messages existed: matched, review (a forgery sharing a genuine key), ignored, failed, held. */
const TURN_ONE_DATA = `
  insert into customers (id, chat_id, username, balance_fen) values (501, 501, 'alice', 1234), (502, 502, null, 0);
  insert into orders (id, order_no, customer_id, requested_fen, payable_fen, status, expires_at, closed_at) values
    (11, 'PAID1', 501, 1234, 1234, 'paid', now() + interval '1 hour', now()),
    (12, 'OPEN1', 502, 500, 501, 'pending', now() + interval '1 hour', null);
  insert into payments (id, mailbox, uid_validity, uid, message_key, sender, subject, received_at, parse_kind,
      provider, amount_fen, payer, memo, transaction_id, auth_result, status, order_id, review_reason) values
    (1, 'INBOX', 4294967301, 10, '<paid@qq.com>', 'fwd@qq.com', '收款', '2026-11-20 12:01:10+08', 'payment',
      'alipay', 1234, '张*', 'PAID1', 'T-1', 'pass', 'matched', 11, null),
    (2, 'INBOX', 4294967301, 11, '<paid@qq.com>', 'fwd@qq.com', '收款', '2026-11-20 12:02:00+08', 'payment',
      'alipay', 1234, '张*', 'PAID1', 'T-1', 'fail', 'review', null, 'unauthenticated'),
    (3, 'INBOX', 4294967301, 12, '<news@shop.com>', 'news@shop.com', 'Sale', '2026-11-20 12:03:00+08', 'not_payment',
      null, null, null, null, null, 'skipped', 'ignored', null, null),
    (4, 'INBOX', 4294967301, 13, 'envelope:4294967301:13', 'fwd@qq.com', 'big', null, 'too_large',
      null, null, null, null, null, 'skipped', 'failed', null, 'too large (9 bytes)'),
    (5, 'INBOX', 4294967301, 14, 'sha256:abc', 'fwd@qq.com', '收款', '2026-11-20 12:05:00+08', 'payment',
      'wechat', 501, null, '', null, 'temperror', 'held', null, null);
  select setval(pg_get_serial_sequence('payments', 'id'), 5);
  insert into auth_holds (payment_id, raw, identity, held_since, next_attempt_at)
    values (5, 'cmF3', '{"from":["fwd@qq.com"]}', now(), now());
  insert into ledger_entries (customer_id, amount_fen, kind, payment_id, order_id, actor)
    values (501, 1234, 'credit', 1, 11, 'auto:memo');
  insert into mailbox_cursors (mailbox, uid_validity, last_uid) values ('INBOX', 4294967301, 14);
`;

async function buildTurnOne(test: TestDatabase, folder: string): Promise<void> {
  if (test.env.DATABASE_URL) {
    const client = postgres(test.env.DATABASE_URL, { max: 1, onnotice: () => {} });
    const db = drizzlePostgres(client);
    await migratePostgres(db, { migrationsFolder: folder });
    await client.unsafe(TURN_ONE_DATA);
    await client.end();
    return;
  }
  const { client, close } = await openPgliteClient(test.env.DATA_DIR);
  await migratePglite(drizzlePglite(client), { migrationsFolder: folder });
  await client.exec(TURN_ONE_DATA);
  await close();
}

describe.each(DATABASE_KINDS)('upgrading a turn-1 database to messages on %s', (kind) => {
  let test: TestDatabase;
  let database: Database;

  beforeAll(async () => {
    const folder = await turnOneMigrations();
    test = await createTestDatabase(kind);
    await buildTurnOne(test, folder);
    await rm(folder, { recursive: true, force: true });
    database = await openDatabase({ url: test.env.DATABASE_URL, dataDir: test.env.DATA_DIR });
  });
  afterAll(async () => {
    await database?.close();
    await test?.drop();
  });

  it('gives every payment its mail message, with its key, trust, sender, subject, arrival and place in the mailbox', async () => {
    const rows = await database.rows<Record<string, unknown>>(sql`
      select p.id::int as id, m.source, m.source_key, m.trusted, m.metadata, m.sender, m.subject,
        extract(epoch from m.received_at)::int as received
      from payments p join messages m on m.id = p.message_id order by p.id`);
    const at = (time: string) => Date.parse(`2026-11-20T${time}+08:00`) / 1000;
    const place = (uid: number) => ({ mailbox: 'INBOX', uidValidity: '4294967301', uid });
    expect(rows).toEqual([
      {
        id: 1,
        sender: 'fwd@qq.com',
        subject: '收款',
        source: 'mail',
        source_key: '<paid@qq.com>',
        trusted: true,
        metadata: place(10),
        received: at('12:01:10'),
      },
      {
        id: 2,
        sender: 'fwd@qq.com',
        subject: '收款',
        source: 'mail',
        source_key: '<paid@qq.com>',
        trusted: false,
        metadata: place(11),
        received: at('12:02:00'),
      },
      {
        id: 3,
        sender: 'news@shop.com',
        subject: 'Sale',
        source: 'mail',
        source_key: '<news@shop.com>',
        trusted: false,
        metadata: place(12),
        received: at('12:03:00'),
      },
      {
        id: 4,
        sender: 'fwd@qq.com',
        subject: 'big',
        source: 'mail',
        source_key: 'envelope:4294967301:13',
        trusted: false,
        metadata: place(13),
        received: null,
      },
      {
        id: 5,
        sender: 'fwd@qq.com',
        subject: '收款',
        source: 'mail',
        source_key: 'sha256:abc',
        trusted: false,
        metadata: place(14),
        received: at('12:05:00'),
      },
    ]);
  });

  it('keeps what each payment said and became, its credit, its hold, and the cursor', async () => {
    expect(
      await database.rows(sql`
        select id::int as id, status, order_id::int as order_id, amount_fen, review_reason, parse_kind, auth_result
        from payments order by id`),
    ).toEqual([
      {
        id: 1,
        status: 'matched',
        order_id: 11,
        amount_fen: 1234,
        review_reason: null,
        parse_kind: 'payment',
        auth_result: 'pass',
      },
      {
        id: 2,
        status: 'review',
        order_id: null,
        amount_fen: 1234,
        review_reason: 'unauthenticated',
        parse_kind: 'payment',
        auth_result: 'fail',
      },
      {
        id: 3,
        status: 'ignored',
        order_id: null,
        amount_fen: null,
        review_reason: null,
        parse_kind: 'not_payment',
        auth_result: 'skipped',
      },
      {
        id: 4,
        status: 'failed',
        order_id: null,
        amount_fen: null,
        review_reason: 'too large (9 bytes)',
        parse_kind: 'too_large',
        auth_result: 'skipped',
      },
      {
        id: 5,
        status: 'held',
        order_id: null,
        amount_fen: 501,
        review_reason: null,
        parse_kind: 'payment',
        auth_result: 'temperror',
      },
    ]);
    expect(
      await database.rows(
        sql`select payment_id::int as payment_id, amount_fen::int as amount_fen from ledger_entries`,
      ),
    ).toEqual([{ payment_id: 1, amount_fen: 1234 }]);
    expect(await database.rows(sql`select payment_id::int as payment_id from auth_holds`)).toEqual([
      { payment_id: 5 },
    ]);
    expect(
      await database.rows(
        sql`select last_uid::int as last_uid, uid_validity::text as uid_validity from mailbox_cursors`,
      ),
    ).toEqual([{ last_uid: 14, uid_validity: '4294967301' }]);
    expect(
      await database.rows(sql`select balance_fen::int as balance from customers where id = 501`),
    ).toEqual([{ balance: 1234 }]);
  });

  it('still records a migrated message once, and records new ones after the migrated ids', async () => {
    const payments = createPaymentsRepository({ db: database.db });
    const again = { parseKind: 'payment', authResult: 'pass', status: 'review' as const };
    const place = { mailbox: 'INBOX', uidValidity: '4294967301', uid: 15 };
    expect(
      await payments.insertOnce({
        ...again,
        message: { source: 'mail', sourceKey: '<paid@qq.com>', metadata: place },
      }),
    ).toBeNull();
    // The same transaction id, authenticated, is a duplicate too.
    const sameTransaction = { ...again, provider: 'alipay', transactionId: 'T-1' };
    expect(
      await payments.insertOnce({
        ...sameTransaction,
        message: { source: 'mail', sourceKey: '<other@qq.com>' },
      }),
    ).toBeNull();
    const fresh = await payments.insertOnce({
      ...again,
      message: { source: 'mail', sourceKey: '<new@qq.com>' },
    });
    expect(fresh).toMatchObject({ messageKey: '<new@qq.com>', status: 'review' });
    expect(fresh?.id).toBeGreaterThan(5);
  });
});
