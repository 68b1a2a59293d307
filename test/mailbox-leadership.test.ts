// The mailbox leadership on PostgreSQL: one leader among contenders; a lost lock connection (its backend
// terminated) or a stop hands it over; the lock never rides on a pooled connection.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLeadership,
  type Leadership,
  MAILBOX_LEADER_KEY,
} from '../src/modules/instances/mailbox-leadership.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { eventually } from './support/eventually.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/** Long, so that a leader that lets go within a moment of its connection's loss can only be onclose's doing. */
const CHECK_MS = 10_000;
const silent = { info() {}, warn() {}, error() {}, debug() {} };

describe('the mailbox leadership', () => {
  let testDb: TestDatabase;
  let db: Database;
  const started: Leadership[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    db = await openDatabase({ url: testDb.env.DATABASE_URL, dataDir: testDb.env.DATA_DIR });
  });
  afterAll(async () => {
    for (const leadership of started) await leadership.stop();
    await db?.close();
    await testDb?.drop();
  });

  function contender(events: string[], name: string) {
    const leadership = createLeadership({
      url: testDb.env.DATABASE_URL ?? '',
      logger: silent,
      checkMs: CHECK_MS,
    });
    leadership.start({
      onGained: () => events.push(`${name} leads`),
      onLost: () => events.push(`${name} follows`),
    });
    started.push(leadership);
    return leadership;
  }
  const holders = () =>
    db.rows<{ pid: number }>(
      sql`select pid from pg_locks where locktype = 'advisory' and objid = ${MAILBOX_LEADER_KEY}::int::oid and granted
          and database = (select oid from pg_database where datname = current_database())`,
    );

  it('makes one of three contenders the leader, and hands over when its lock connection is cut', async () => {
    const events: string[] = [];
    const all = ['a', 'b', 'c'].map((name) => ({ name, leadership: contender(events, name) }));
    const first = await eventually(async () => {
      const leaders = all.filter((c) => c.leadership.isLeader());
      return leaders.length === 1 ? leaders[0] : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(all.filter((c) => c.leadership.isLeader())).toEqual([first]);
    expect(all.map((c) => c.leadership.role()).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(await holders()).toHaveLength(1);

    // What a network cut or a restarted PostgreSQL does to the lock's session: it is gone, and so is the lock.
    const [holder] = await holders();
    await db.rows(sql`select pg_terminate_backend(${holder?.pid ?? 0})`);
    // Told at once by the closed connection, not only at the next check.
    await eventually(async () => (first?.leadership.isLeader() === false ? true : undefined), 300);
    const second = await eventually(async () => {
      const leaders = all.filter((c) => c.leadership.isLeader());
      return leaders.length === 1 ? leaders[0] : undefined;
    }, CHECK_MS + 2_000);
    expect(events).toContain(`${first?.name} follows`);
    expect(events.filter((e) => e.endsWith('leads'))).toHaveLength(2);
    expect((await holders())[0]?.pid).not.toBe(holder?.pid);

    // A stopping leader lets go at once; the last contender takes over.
    await second?.leadership.stop();
    const third = await eventually(
      async () => all.find((c) => c !== second && c.leadership.isLeader()),
      CHECK_MS + 2_000,
    );
    expect(third).toBeDefined();
  }, 40_000);
});
