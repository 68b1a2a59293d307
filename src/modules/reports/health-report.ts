// Use case: the service's state for /health, and the scheduled health report queued to every admin.
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import type { CatchUpFigures } from '../ingestion/mail/catch-up-progress.ts';
import type { MailboxProblemKind } from '../ingestion/mail/mailbox-problem.ts';
import { checkInvariants } from '../ledger/check-invariants.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import type { HealthFacts, ReportFacts } from '../notify/admin-texts.ts';
import type { Language } from '../notify/customer-texts.ts';
import { formatLocalSeconds } from '../notify/customer-texts.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';

const DAY_MS = 86_400_000;

async function invariantFacts(store: Store) {
  const invariants = await checkInvariants(store);
  // Named as admins name customers (by Telegram user id), not by the internal customer id.
  const mismatched = await Promise.all(invariants.balanceMismatches.map((id) => store.customers.find(id)));
  return {
    ledgerMismatches: mismatched.flatMap((customer) => (customer ? [adminNumberOf(customer)] : [])),
    ordersPaidTwice: invariants.ordersPaidTwice,
  };
}

/** The forwarder webhook's line of /health, when it is on. */
async function forwarderFacts(
  store: Store,
  sources: readonly string[],
  timeZone: string,
): Promise<HealthFacts['forwarder']> {
  if (!sources.includes('forwarder')) return null;
  const last = await store.reports.lastNotificationAt('forwarder');
  return {
    lastNotificationAt: last ? formatLocalSeconds(last, timeZone) : null,
    refused: await store.forwarder.refusalCounts(),
  };
}

export function createHealthReport(deps: {
  /** Reads for /health, outside a transaction. */
  store: Store;
  transaction: Transaction;
  clock: Clock;
  timeZone: string;
  admins: AdminAudience;
  mailboxState: () => MailboxState;
  mailboxProblem: () => MailboxProblemKind | null;
  mailboxCatchUp: () => CatchUpFigures | null;
  /** With 'forwarder', /health and the report show the webhook. */
  sources: readonly string[];
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
    const alarms = await store.alarms.activeAlarms();
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
      forwarder: await forwarderFacts(store, deps.sources, deps.timeZone),
      activeAlarms: alarms,
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
    /** /health: the text for the asking admin, in their language. */
    async healthText(language: Language): Promise<string> {
      return adminTextsFor(language).health(await health(deps.store));
    },
    /** The scheduled report, queued to every admin. */
    async sendReport(): Promise<void> {
      await deps.transaction(async (store) => {
        const facts = await report(store);
        await notifyAdmins(store, deps.admins, (texts) => texts.report(facts));
      });
      deps.onQueued();
    },
  };
}

export type HealthReport = ReturnType<typeof createHealthReport>;
