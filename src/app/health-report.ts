// Use case: the service's state for /health, and the scheduled health report queued to every admin.
import type { Db } from '../adapters/db/database.ts';
import { createStore, inTransaction, type Store } from '../adapters/db/store.ts';
import { adminTexts, type HealthFacts, type ReportFacts } from '../domain/admin-texts.ts';
import type { CatchUpFigures } from '../domain/catch-up-progress.ts';
import type { MailboxProblemKind } from '../domain/mailbox-problem.ts';
import { formatLocalSeconds } from '../domain/texts.ts';
import { checkInvariants } from './check-invariants.ts';
import type { Clock, MailboxState } from './ports.ts';

const DAY_MS = 86_400_000;

async function invariantFacts(store: Store) {
  const invariants = await checkInvariants(store);
  return { ledgerMismatches: invariants.balanceMismatches, ordersPaidTwice: invariants.ordersPaidTwice };
}

export function createHealthReport(deps: {
  db: Db;
  clock: Clock;
  timeZone: string;
  adminIds: readonly number[];
  mailboxState: () => MailboxState;
  mailboxProblem: () => MailboxProblemKind | null;
  mailboxCatchUp: () => CatchUpFigures | null;
  onQueued: () => void;
}) {
  async function health(store: Store): Promise<HealthFacts> {
    // The mailbox as it is when asked: a catch-up may end while the queries below wait for the database.
    const mailbox = {
      mailboxState: deps.mailboxState(),
      mailboxProblem: deps.mailboxProblem(),
      catchUp: deps.mailboxCatchUp(),
    };
    const now = deps.clock.now();
    const outbox = await store.outbox.state(new Date(now.getTime() - DAY_MS));
    const lastMessageAt = await store.reports.lastMessageAt();
    const queue = await store.decisions.reviewQueue(0, 0);
    const alarms = await store.reports.activeAlarms();
    return {
      ...mailbox,
      lastMessageAt: lastMessageAt ? formatLocalSeconds(lastMessageAt, deps.timeZone) : null,
      outboxPending: outbox.pending,
      outboxOldestMinutes: outbox.oldestPendingAt
        ? Math.max(0, Math.round((now.getTime() - outbox.oldestPendingAt.getTime()) / 60_000))
        : null,
      outboxFailed: outbox.failed,
      reviewQueue: queue.total,
      ...(await invariantFacts(store)),
      activeAlarms: alarms.map((name) => adminTexts.alarmNames[name] ?? name),
    };
  }

  async function report(store: Store): Promise<ReportFacts> {
    const now = deps.clock.now();
    const since = new Date(now.getTime() - DAY_MS);
    const latency = await store.reports.creditLatency(since);
    return {
      ...(await health(store)),
      period: await store.reports.period(since, new Date(now.getTime() + 1)),
      medianLatencySeconds: latency.median,
      worstLatencySeconds: latency.worst,
      failedMessages: await store.reports.failedMessagesSince(since),
    };
  }

  return {
    /** /health: the text for the asking admin. */
    async healthText(): Promise<string> {
      return adminTexts.health(await health(createStore(deps.db)));
    },
    /** The scheduled report, queued to every admin. */
    async sendReport(): Promise<void> {
      await inTransaction(deps.db, async (store) => {
        const text = adminTexts.report(await report(store));
        await store.outbox.enqueue(
          deps.adminIds.map((chatId) => ({ chatId, message: { method: 'sendMessage', text } })),
        );
      });
      deps.onQueued();
    },
  };
}

export type HealthReport = ReturnType<typeof createHealthReport>;
