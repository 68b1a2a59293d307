// Property test: whatever bytes reach the mailbox — random, truncated, huge lines, deep nesting, bad charsets —
// ingestion never throws, never credits, and always moves past the message.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';
import { incoming, ingestConfig, ingestFor } from './support/ingest.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { insertPendingOrders } from './support/orders.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

/** mulberry32: a seeded generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] as T };
}
type Random = ReturnType<typeof random>;

const SAMPLES = ['mail', 'mail-variants'].flatMap((dir) => {
  const path = join(import.meta.dirname, 'fixtures', dir);
  return readdirSync(path)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => readFileSync(join(path, name)));
});
const ORDER_MEMO = 'FUZZAAAA';
const header = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** Each generator makes one hostile message; the name says what kind. */
const generators: Record<string, (r: Random) => Buffer> = {
  'random bytes': (r) => Buffer.from(Array.from({ length: r.int(4_000) }, () => r.int(256))),
  'truncated sample': (r) => {
    const sample = r.pick(SAMPLES);
    return sample.subarray(0, r.int(sample.length));
  },
  'sample with flipped bytes': (r) => {
    const sample = Buffer.from(r.pick(SAMPLES));
    for (let i = 0; i < 1 + r.int(20); i++) sample[r.int(sample.length)] = r.int(256);
    return sample;
  },
  'truncated notification naming a pending order': (r) => {
    const mail = Buffer.from(forwardedAlipayTransfer({ amount: '10.00', memo: ORDER_MEMO }));
    return mail.subarray(0, r.int(mail.length));
  },
  'huge header and body lines': (r) =>
    Buffer.from(
      header([
        `Subject: ${'收款'.repeat(50_000 + r.int(50_000))}`,
        'From: notify-forwarder@qq.com',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `向你付款10.00元${'x'.repeat(500_000 + r.int(500_000))}`,
      ]),
    ),
  'deeply nested multipart': (r) => {
    const depth = 100 + r.int(400);
    const lines = ['From: notify-forwarder@qq.com', 'Subject: com.eg.android.AlipayGphone'];
    for (let i = 0; i < depth; i++)
      lines.push(`Content-Type: multipart/mixed; boundary="b${i}"`, '', `--b${i}`);
    lines.push('Content-Type: text/plain', '', `张三通过扫码向你付款10.00元 ${ORDER_MEMO}`);
    for (let i = depth - 1; i >= 0; i--) lines.push(`--b${i}--`);
    return Buffer.from(header(lines));
  },
  'invalid and mislabelled charsets': (r) => {
    const charset = r.pick([
      'x-no-such-charset',
      'utf-7',
      'gbk',
      'iso-2022-jp',
      '',
      'utf-16',
      '"; boundary=',
    ]);
    const encoding = r.pick(['base64', 'quoted-printable', '8bit', 'x-uuencode', 'bogus']);
    const body = r.pick([
      Buffer.from([0xff, 0xfe, 0x81, 0x30, 0xd6, 0xa7, 0x00, 0x80]),
      Buffer.from('=E6=94=B6=ZZ=\r\n=8', 'latin1'),
      Buffer.from('!!!!not base64 at all====', 'latin1'),
      Buffer.from('张三通过扫码向你付款10.00元', 'utf8'),
    ]);
    return Buffer.concat([
      Buffer.from(
        header([
          'From: =?x-bogus?B?5pSv5LuY5a6d?= <notify-forwarder@qq.com>',
          `Subject: =?${charset || 'gbk'}?Q?=E6=94=B6=?= =?utf-8?B?!!!?=`,
          `Content-Type: text/html; charset=${charset}`,
          `Content-Transfer-Encoding: ${encoding}`,
          '',
        ]),
      ),
      body,
    ]);
  },
  'broken multipart structure': (r) =>
    Buffer.from(
      header([
        'From: notify-forwarder@qq.com',
        `Content-Type: multipart/alternative; boundary="${r.pick(['', 'x', '"'])}"`,
        '',
        '--x',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        'PGJyPjxicj48dGFibGU+PHRyPjx0ZD7mlLbmrL7ph5Hpop08L3RkPjx0ZD7CpTEwLjAw',
        '--x',
      ]),
    ),
};

describe.each(DATABASE_KINDS)('ingesting hostile mail on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;
  let dns: DnsResponder;

  beforeAll(async () => {
    [testDb, dns] = await Promise.all([createTestDatabase(kind), startDnsResponder()]);
    database = await openDatabase({ url: testDb.env.DATABASE_URL, dataDir: testDb.env.DATA_DIR });
    // An order the hostile notifications name and pay exactly: only authentication stands in the way.
    await insertPendingOrders(database.db, [{ orderNo: ORDER_MEMO, payableFen: 1_000 }], {
      firstCustomerId: 1,
    });
  });
  afterAll(async () => {
    await database?.close();
    await dns?.close();
    await testDb?.drop();
  });

  it('never throws, never credits, and passes every message', async () => {
    const ingest = ingestFor(database, ingestConfig(dns));
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    const r = random(seed);
    const kinds = new Map<string, number>();
    let lastUid = 0;
    const rounds = Number(process.env.FUZZ_ROUNDS ?? 240);
    for (let i = 0; i < rounds; i++) {
      const [name, generate] = Object.entries(generators)[i % Object.keys(generators).length] as [
        string,
        (r: Random) => Buffer,
      ];
      const raw = generate(r);
      const message = incoming(raw);
      let outcome: Awaited<ReturnType<typeof ingest>>;
      try {
        outcome = await ingest(message);
      } catch (error) {
        throw new Error(
          `seed ${seed}, round ${i} (${name}) threw: ${String(error)} cause: ${String((error as { cause?: unknown }).cause)}`,
        );
      }
      expect(outcome.kind, `seed ${seed}, round ${i} (${name})`).not.toBe('credited');
      kinds.set(outcome.kind, (kinds.get(outcome.kind) ?? 0) + 1);
      lastUid = message.uid;
    }
    console.log(`[${kind}] fuzz seed ${seed}: ${JSON.stringify(Object.fromEntries(kinds))}`);
    const ledger = await database.rows(sql`select id from ledger_entries`);
    expect(ledger).toEqual([]);
    const [order] = await database.rows<{ status: string }>(sql`select status from orders`);
    expect(order?.status).toBe('pending');
    const [cursor] = await database.rows<{ last_uid: number }>(sql`select last_uid from mailbox_cursors`);
    expect(Number(cursor?.last_uid)).toBe(lastUid);
  }, 240_000);
});
