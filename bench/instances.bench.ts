// Several instances on one PostgreSQL: how long the mailbox is unwatched when the leader is killed with
// kill -9 (until another instance leads and its mailbox is connected, by /healthz), and how fast a backlog
// is caught up with one instance and with three (only the leader ingests; the others contend for nothing
// but the lock). The instances run as the README says several must: Telegram by webhook, behind a
// round-robin proxy (long polling allows one poller per bot; three would end each other's polls with 409).
// Standalone: `npx tsx bench/instances.bench.ts` after `npm run build`.
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { eventually } from '../test/support/eventually.ts';
import {
  type Instance,
  leaderOf,
  preparePayments,
  roleOf,
  spawnInstance,
  webhookBehindProxy,
} from '../test/support/instances.ts';
import { fetchHealth } from '../test/support/service-process.ts';
import { type Stack, startStack } from '../test/support/stack.ts';
import { openAppender } from './mailbox.ts';
import { ms, summarise } from './stats.ts';

/** The stack the instances share, run as several instances must run (webhookBehindProxy). */
async function startSharedStack(env: Record<string, string>) {
  const instances: Instance[] = [];
  const stack = await startStack('postgres', { LOG_LEVEL: 'warn', ...env });
  const proxy = await webhookBehindProxy(stack, instances);
  return {
    stack,
    instances,
    async dispose() {
      for (const instance of instances) instance.process.child.kill('SIGKILL');
      await proxy.close();
      await stack.dispose();
    },
  };
}

const spawnDist = (stack: Stack) => spawnInstance(stack, { entry: 'dist' });

/** The leader's mailbox is connected: /healthz says leader and the mailbox is up. */
async function watching(instance: Instance): Promise<boolean> {
  const health = await fetchHealth(instance.port);
  const components = health?.body.components as { mailbox?: { up: boolean } } | undefined;
  return health?.body.role === 'leader' && components?.mailbox?.up === true;
}

export async function benchFailover(kills: number): Promise<{ lockMs: number[]; watchingMs: number[] }> {
  const { stack, instances, dispose } = await startSharedStack({});
  try {
    for (let i = 0; i < 3; i++) instances.push(await spawnDist(stack));
    const lockMs: number[] = [];
    const watchingMs: number[] = [];
    for (let k = 0; k < kills; k++) {
      const leader = await eventually(() => leaderOf(instances), 60_000);
      await eventually(async () => ((await watching(leader)) ? true : undefined), 30_000);
      // Every instance up (the replacement too) before the kill, so each failover starts alike.
      await eventually(
        async () => ((await Promise.all(instances.map(roleOf))).every(Boolean) ? true : undefined),
        60_000,
      );
      leader.process.child.kill('SIGKILL');
      const killedAt = performance.now();
      await leader.process.exited;
      instances.splice(instances.indexOf(leader), 1);
      const next = await eventually(() => leaderOf(instances), 30_000);
      lockMs.push(performance.now() - killedAt);
      await eventually(async () => ((await watching(next)) ? true : undefined), 30_000);
      watchingMs.push(performance.now() - killedAt);
      instances.push(await spawnDist(stack));
    }
    return { lockMs, watchingMs };
  } finally {
    await dispose();
  }
}

export interface CatchUpFigures {
  /** From spawning the instances (or, when they run already, from the backlog's arrival) to the last credit. */
  totalSeconds: number;
  /** From the first credit to the last: the rate once an instance leads and reads the backlog. */
  creditingSeconds: number;
}

/**
 * How a backlog meets the instances: `cold`, appended while nothing runs and then the instances started
 * together (each process's start-up shares the machine with the leader's catch-up); `running`, the instances
 * up and the leader watching when the whole backlog lands in INBOX at once (one IMAP MOVE from another
 * folder), as after a mailbox outage.
 */
export type CatchUpStart = 'cold' | 'running';

/** `notifications` payments waiting for `count` instances; how long until the last is credited. */
export async function benchCatchUpWith(
  count: number,
  notifications: number,
  start: CatchUpStart,
): Promise<CatchUpFigures> {
  const { stack, instances, dispose } = await startSharedStack({ ORDER_TTL_SECONDS: '86400' });
  try {
    const mails = await preparePayments(stack, notifications);
    const appender = await openAppender(stack.dovecot, start === 'cold' ? 'INBOX' : 'Backlog');
    for (const mail of mails) await appender.append(mail);
    if (start === 'cold') await appender.close();
    const database = await openDatabase({ url: stack.env.DATABASE_URL, dataDir: stack.env.DATA_DIR ?? '' });
    try {
      let started = performance.now();
      for (let i = 0; i < count; i++) instances.push(await spawnDist(stack));
      if (start === 'running') {
        await eventually(async () => ((await everyOneUp(instances)) ? true : undefined), 60_000);
        started = performance.now();
        await appender.release();
        await appender.close();
      }
      const firstCreditAt = await creditedAll(database, notifications);
      const lastCreditAt = performance.now();
      return {
        totalSeconds: (lastCreditAt - started) / 1000,
        creditingSeconds: (lastCreditAt - firstCreditAt) / 1000,
      };
    } finally {
      await database.close();
    }
  } finally {
    await dispose();
  }
}

/** Every instance answers /healthz and one of them watches the mailbox. */
async function everyOneUp(instances: readonly Instance[]): Promise<boolean> {
  const roles = await Promise.all(instances.map(roleOf));
  const leader = instances[roles.indexOf('leader')];
  return roles.every(Boolean) && leader !== undefined && (await watching(leader));
}

/** Waits until `notifications` credits are in the ledger; when the first was seen. */
async function creditedAll(database: Database, notifications: number): Promise<number> {
  let firstCreditAt: number | undefined;
  await eventually(async () => {
    const [row] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from ledger_entries where kind = 'credit'`,
    );
    const credited = row?.n ?? 0;
    if (credited > 0) firstCreditAt ??= performance.now();
    return credited >= notifications ? true : undefined;
  }, 600_000);
  return firstCreditAt ?? performance.now();
}

/** "1: 600/s first to last credit (5.0 s), 450/s incl. start-up (6.7 s)" for a catch-up of `backlog`. */
export function catchUpText(
  count: number,
  backlog: number,
  figures: CatchUpFigures,
  start: CatchUpStart,
): string {
  const rate = (seconds: number) => (backlog / seconds).toFixed(0);
  const since = start === 'cold' ? 'incl. start-up' : 'from the move';
  return `${count}: ${rate(figures.creditingSeconds)}/s first to last credit (${figures.creditingSeconds.toFixed(1)} s), ${rate(figures.totalSeconds)}/s ${since} (${figures.totalSeconds.toFixed(1)} s)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const failover = await benchFailover(10);
  const lock = summarise(failover.lockMs);
  const watched = summarise(failover.watchingMs);
  console.log(`failover over ${lock.n} kills: lock taken p50 ${ms(lock.p50)}, max ${ms(lock.max)}`);
  console.log(
    `failover over ${watched.n} kills: mailbox watched again p50 ${ms(watched.p50)}, max ${ms(watched.max)}`,
  );
  const notifications = 3000;
  for (const start of ['cold', 'running'] as const) {
    for (const count of [1, 3]) {
      const figures = await benchCatchUpWith(count, notifications, start);
      console.log(
        `catch-up of ${notifications} (${start}), ${catchUpText(count, notifications, figures, start)}`,
      );
    }
  }
  process.exit(0);
}
