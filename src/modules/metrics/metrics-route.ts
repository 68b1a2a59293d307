// GET /metrics in Prometheus' text format (prom-client): notifications by outcome, credits, the review
// queue, the outbox backlog and the mailbox from the database; the arrival → credit latency histogram; the
// instance's role and, on the leader, the mailbox connection. Each service has its own registry.
import { Gauge, Histogram, Registry } from 'prom-client';
import type { Database } from '../../shared/db/database.ts';
import type { MailboxState } from '../../shared/ports.ts';
import type { Route } from '../http/router.ts';
import type { InstanceRole } from '../instances/mailbox-leadership.ts';
import { createMetricsRepository } from './metrics.repository.ts';

const ROLES: InstanceRole[] = ['single', 'leader', 'follower'];
const MAILBOX_STATES: MailboxState[] = ['connected', 'connecting', 'down'];
const LATENCY_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600];

export function metricsRoute(deps: {
  database: Database;
  role: () => InstanceRole;
  mailboxState: () => MailboxState;
}): Route {
  const figures = createMetricsRepository(deps.database);
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const payments = gauge('mailpay_notifications', 'Payment notifications recorded, by outcome', ['outcome']);
  const credits = gauge('mailpay_credits', 'Credits in the ledger');
  const review = gauge('mailpay_review_queue', 'Payments waiting for an admin');
  const backlog = gauge('mailpay_outbox_backlog', 'Telegram messages not yet sent');
  const role = gauge('mailpay_instance_role', 'This instance: 1 for its role', ['role']);
  const leader = gauge('mailpay_leader', '1 when this instance watches the mailbox');
  const mailbox = gauge('mailpay_mailbox_state', 'The watched mailbox: 1 for its state (leader only)', [
    'state',
  ]);
  const latency = new Histogram({
    name: 'mailpay_arrival_to_credit_seconds',
    help: 'Mail arrival to automatic credit, observed by the leader (sum over instances)',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  // Credits before this instance's first scrape are not its observations: start from the ledger's end.
  let seenUpTo: number | null = null;
  let scraping: Promise<void> = Promise.resolve();

  async function collect() {
    const now = await figures.figures();
    payments.reset();
    for (const { status, n } of now.paymentsByStatus) payments.set({ outcome: status }, n);
    credits.set(now.credits);
    review.set(now.reviewQueue);
    backlog.set(now.outboxBacklog);
    const current = deps.role();
    for (const name of ROLES) role.set({ role: name }, name === current ? 1 : 0);
    const leads = current !== 'follower';
    leader.set(leads ? 1 : 0);
    mailbox.reset();
    if (leads)
      for (const state of MAILBOX_STATES) mailbox.set({ state }, deps.mailboxState() === state ? 1 : 0);
    // Every instance moves past new credits; only the leader counts them, so each is observed once.
    seenUpTo ??= await figures.lastLedgerId();
    const fresh = await figures.creditLatencies(seenUpTo);
    for (const credit of fresh) if (leads) latency.observe(credit.seconds);
    seenUpTo = fresh.at(-1)?.id ?? seenUpTo;
  }

  return {
    method: 'GET',
    path: '/metrics',
    async handle(_request, response) {
      // One scrape at a time: two at once would observe the same new credits twice.
      const run = scraping.then(collect);
      scraping = run.catch(() => {});
      await run;
      response.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
    },
  };
}
