// Three service processes on one PostgreSQL while 300 payments arrive and the leader is killed with kill -9
// twice: the mailbox watcher moves to another instance within 15 s each time, every payment is credited
// exactly once (the ledger) and every customer is told exactly once (the Bot API double). In webhook mode,
// behind a round-robin load balancer, customers' commands keep coming meanwhile: none is lost or doubled.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/shared/db/database.ts';
import {
  creditMessagesPerCustomer,
  FIRST_CUSTOMER,
  type Instance,
  leaderOf,
  preparePayments,
  spawnInstance,
} from './support/instances.ts';
import { startRoundRobinProxy } from './support/round-robin-proxy.ts';
import { eventually, type Stack, startStack } from './support/stack.ts';

const COUNT = 300;
const KILLS = 2;
const FAILOVER_LIMIT_MS = 15_000;
/** In webhook mode, a customer sends /balance after every few payments; each is a new Telegram user. */
const FIRST_ASKER = 90_000;
const ASK_EVERY = 3;

describe.each(['polling', 'webhook'] as const)('three instances on one PostgreSQL (%s)', (mode) => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof startRoundRobinProxy>> | null = null;
  const instances: Instance[] = [];
  beforeAll(async () => {
    stack = await startStack('postgres');
    if (mode === 'webhook') {
      proxy = await startRoundRobinProxy(() => instances.map((instance) => instance.port));
      Object.assign(stack.env, { TELEGRAM_WEBHOOK: 'true', PUBLIC_URL: proxy.url });
    }
  });
  afterAll(async () => {
    for (const instance of instances) instance.process.child.kill('SIGKILL');
    await proxy?.close();
    await stack?.dispose();
  });

  it('credits and tells each of 300 payments exactly once while the leader is killed twice', async () => {
    const mails = await preparePayments(stack, COUNT);
    for (let i = 0; i < 3; i++) instances.push(await spawnInstance(stack));
    let leader = await eventually(() => leaderOf(instances), 60_000);

    // Mail arrives in a steady stream; the kills land at random moments inside it.
    const killAt = Array.from({ length: KILLS }, (_, k) =>
      Math.floor(((k + 0.3 + Math.random() * 0.5) * COUNT) / KILLS),
    );
    const failovers: number[] = [];
    const askers: number[] = [];
    for (const [i, mail] of mails.entries()) {
      await stack.dovecot.append(mail);
      if (mode === 'webhook' && i % ASK_EVERY === 0) {
        const id = FIRST_ASKER + askers.length;
        askers.push(id);
        stack.telegram.sendText({ id, languageCode: 'en' }, '/balance');
      }
      if (!killAt.includes(i)) continue;
      leader.process.child.kill('SIGKILL');
      const killedAt = Date.now();
      await leader.process.exited;
      instances.splice(instances.indexOf(leader), 1);
      leader = await eventually(() => leaderOf(instances), FAILOVER_LIMIT_MS + 5_000);
      failovers.push(Date.now() - killedAt);
      // A replacement joins as a follower, as an orchestrator would restart the killed one.
      instances.push(await spawnInstance(stack));
      await sleep(20);
    }
    console.log(`[${mode}] leader failovers: ${failovers.map((ms) => `${ms} ms`).join(', ')}`);
    for (const ms of failovers) expect(ms).toBeLessThan(FAILOVER_LIMIT_MS);

    await eventually(
      async () => (creditMessagesPerCustomer(stack).size === COUNT ? true : undefined),
      120_000,
    );
    const answered = () =>
      new Set(stack.telegram.sent.filter((m) => m.chatId >= FIRST_ASKER).map((m) => m.chatId));
    await eventually(async () => (answered().size === askers.length ? true : undefined), 60_000);
    // A message claimed by a killed instance is sent again once its lease ends: count only when the outbox
    // holds nothing more to send, so no duplicate can still come.
    await eventually(async () => ((await pendingOutbox(stack)) === 0 ? true : undefined), 120_000);
    if (mode === 'webhook') await sleep(11_000); // past a dead instance's update claim going stale
    const told = creditMessagesPerCustomer(stack);
    expect([...told.values()].filter((n) => n !== 1)).toEqual([]);
    const answers = askers.map((id) => stack.telegram.sent.filter((m) => m.chatId === id).length);
    expect(answers.filter((n) => n !== 1)).toEqual([]);
    if (mode === 'webhook') {
      // Every question came by webhook push; some pushes hit a dead instance or a busy claim and were retried.
      const pushes = [...stack.telegram.webhookAttempts.values()];
      expect(pushes).toHaveLength(askers.length);
      const retried = pushes.filter((statuses) => statuses.length > 1).length;
      console.log(`[webhook] ${askers.length} updates pushed, ${retried} needed more than one attempt`);
    }
    await expectLedger(stack);
  }, 240_000);
});

async function pendingOutbox(stack: Stack): Promise<number> {
  const db = await openDatabase({
    url: stack.database.env.DATABASE_URL,
    dataDir: stack.database.env.DATA_DIR,
  });
  try {
    const [row] = await db.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where status = 'pending'`,
    );
    return row?.n ?? -1;
  } finally {
    await db.close();
  }
}

async function expectLedger(stack: Stack) {
  const db = await openDatabase({
    url: stack.database.env.DATABASE_URL,
    dataDir: stack.database.env.DATA_DIR,
  });
  try {
    const ledger = await db.rows<{ customer_id: number; n: number; total: number }>(
      sql`select c.id::int as customer_id, count(l.id)::int as n, coalesce(sum(l.amount_fen), 0)::int as total
          from customers c left join ledger_entries l on l.customer_id = c.id and l.kind = 'credit'
          where c.id >= ${FIRST_CUSTOMER} and c.id < ${FIRST_CUSTOMER + COUNT} group by c.id order by c.id`,
    );
    expect(ledger).toEqual(
      Array.from({ length: COUNT }, (_, i) => ({ customer_id: FIRST_CUSTOMER + i, n: 1, total: 10_000 + i })),
    );
    const payments = await db.rows<{ n: number }>(sql`select count(*)::int as n from payments`);
    expect(payments[0]?.n).toBe(COUNT);
  } finally {
    await db.close();
  }
}
