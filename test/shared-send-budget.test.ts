// The bot's send budget lives in the database: instances on one PostgreSQL (here two connections, as two
// processes have) take from one bucket, so together they stay within Telegram's rate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TELEGRAM_BROADCAST_RATE } from '../src/modules/outbox/send-budget.ts';
import { createSharedSendBudget } from '../src/modules/outbox/shared-send-budget.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('the shared send budget on %s', (kind) => {
  let testDb: TestDatabase;
  const opened: Database[] = [];
  let now = 1_000_000;
  const instances: Array<ReturnType<typeof createSharedSendBudget>> = [];
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    const open = () => openDatabase({ url: testDb.env.DATABASE_URL, dataDir: testDb.env.DATA_DIR });
    opened.push(await open());
    // PGlite is one process's database: its "instances" share the one connection.
    opened.push(kind === 'postgres' ? await open() : (opened[0] as Database));
    for (const database of opened) {
      instances.push(
        createSharedSendBudget({
          transaction: transactionOf(database.db),
          rate: TELEGRAM_BROADCAST_RATE,
          now: () => now,
        }),
      );
    }
  });
  afterAll(async () => {
    for (const database of new Set(opened)) await database.close();
    await testDb?.drop();
  });

  it('is one bucket: what one instance takes or spends, the other waits for', async () => {
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
    // The bucket starts full (30): a takes 20, which leaves b's 20 waiting a third of a second for 10 more.
    expect(await a.take(20)).toBe(0);
    expect(await b.take(20)).toBe(334);
    now += 334;
    expect(await b.take(20)).toBe(0);
    // Answers a customer waits for go at once, into debt; bulk sending then waits the debt out.
    await a.spend(10);
    expect(await b.take(5)).toBe(Math.ceil(((10 + 5) / TELEGRAM_BROADCAST_RATE.perSecond) * 1000));
    now += 60_000;
  });

  it('counts takes made at the same moment one at a time', async () => {
    // Full again after a minute's rest: of 12 instances asking for 5 at once, exactly 6 get theirs.
    const waits = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (instances[i % 2] ?? instances[0])?.take(5)),
    );
    expect(waits.filter((wait) => wait === 0)).toHaveLength(6);
    expect(waits.filter((wait) => (wait ?? 0) > 0)).toHaveLength(6);
  });
});
