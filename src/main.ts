// The one place that wires the service: each module's starter, composed, and stopped in order.
import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';
import { Telegram } from 'telegraf';
import { type Customers, createCustomers } from './modules/customers/create-customers.ts';
import { startHttpServer } from './modules/http/http-server.ts';
import { createRouter, type Route } from './modules/http/router.ts';
import { serviceHealthRoute } from './modules/http/service-health.ts';
import { type MailTuning, startMailIngestion } from './modules/ingestion/mail/start-mail-ingestion.ts';
import { instanceRoleOf } from './modules/instances/instance-role.ts';
import { metricsRoute } from './modules/metrics/metrics-route.ts';
import { type AdminAudience, adminAudienceOf } from './modules/notify/admin-audience.ts';
import { createCustomerOrders } from './modules/orders/customer-orders.ts';
import { createExpireOrders } from './modules/orders/expire-orders.ts';
import { startExpirySweeper } from './modules/orders/expiry-sweeper.ts';
import { createFindOrder } from './modules/orders/find-order.ts';
import { createRefundOrder } from './modules/orders/refund-order.ts';
import { createOutboxRepository } from './modules/outbox/outbox.repository.ts';
import { createQueueMessage } from './modules/outbox/queue-message.ts';
import { type Outbox, startOutbox } from './modules/outbox/start-outbox.ts';
import type { NotificationRule } from './modules/payments/notification/rules.ts';
import { type Reports, startReports } from './modules/reports/start-reports.ts';
import { createListPending } from './modules/review/list-pending.ts';
import { createReviewPayment } from './modules/review/review-payment.ts';
import { createTelegramSender } from './modules/telegram/send-message.ts';
import { startTelegram } from './modules/telegram/start-telegram.ts';
import { webhookSettingsOf } from './modules/telegram/webhook.ts';
import { type Config, secretsOf } from './shared/config/config.ts';
import type { Db } from './shared/db/database.ts';
import { openServiceDatabase, startBackups } from './shared/db/service-database.ts';
import { createStore, transactionOf } from './shared/db/store.ts';
import type { RootLogger } from './shared/logger/logger.ts';
import { createScrubber } from './shared/logger/scrub-secrets.ts';
import { type Clock, type MailboxState, systemClock } from './shared/ports.ts';

export async function startService(options: {
  config: Config;
  rules: readonly NotificationRule[];
  logger: RootLogger;
  clock?: Clock;
  /** Internal knobs, not configuration: tests shorten the watcher's time-outs and how often alarms are checked. */
  tuning?: MailTuning & { alarmCheckMs?: number };
}) {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const database = await openServiceDatabase(config.database, logger);
  const { db } = database;
  const { leadership, leaderOnly } = instanceRoleOf(config.database.url, database, logger);
  const admins = adminAudienceOf(config);
  const outbox = await startTelegramOutbox({ config, db, clock, admins, logger });
  const onQueued = () => outbox.kick();
  const customers = createCustomers({ db, onQueued });
  const expireOrders = createExpireOrders({ transaction: transactionOf(db), clock, onQueued });
  const expiry = startExpirySweeper({
    expireOrders: leaderOnly('expiry', expireOrders, []),
    logger: logger.child({ component: 'expiry' }),
  });
  const tuning = { isLeader: leadership.isLeader, tuning: options.tuning ?? {} };
  const mail = startMailIngestion({ ...options, ...tuning, db, clock, admins, onQueued });
  const mailboxState = () => mail.watcher.state();
  const reports = startReports({
    db,
    clock,
    admins,
    settings: { timeZone: config.timeZone, ...config.alarms },
    mailbox: mail.watcher,
    alarmCheckMs: options.tuning?.alarmCheckMs ?? 30_000,
    leaderOnly,
    onQueued,
    logger: logger.child({ component: 'admin' }),
  });
  const telegram = startTelegram({
    bot: config.telegram,
    settings: { ...config.recharge, timeZone: config.timeZone },
    customer: customerUseCases({ db, config, clock, outbox, customers, mailboxState }),
    admin: adminUseCases({ db, config, clock, onQueued, customers, reports }),
    languages: customers.languages,
    webhook: webhookSettingsOf(config, db, clock),
    logger: logger.child({ component: 'bot' }),
  });
  const health = { mailboxState, pollingState: telegram.pollingState, role: leadership.role };
  const webhookRoutes = telegram.webhook ? [telegram.webhook.route] : [];
  const metrics = metricsRoute({ database, role: leadership.role, mailboxState });
  const http = await startHttp(config, [serviceHealthRoute(database, health), metrics, ...webhookRoutes]);
  void telegram.webhook?.register();
  leadership.start({ onGained: mail.watcher.lead, onLost: mail.watcher.follow });
  const backups = startBackups(config.database, database, logger);
  logger.info({ httpPort: http?.port ?? null }, 'mailpay started');

  return {
    database,
    healthPort: http?.port ?? null,
    mailboxState,
    /** Stop taking updates, finish the payment in hand, deliver nothing more, close IMAP and the database. */
    async stop() {
      for (const part of [telegram, reports, mail, leadership, expiry, outbox, http, backups])
        await part?.stop();
      await database.close();
      logger.info('mailpay stopped');
    },
  };
}

export type Service = Awaited<ReturnType<typeof startService>>;

/** The outbox of Telegram messages, delivered in the background. */
async function startTelegramOutbox(deps: {
  config: Config;
  db: Db;
  clock: Clock;
  admins: AdminAudience;
  logger: RootLogger;
}) {
  return startOutbox({
    db: deps.db,
    clock: deps.clock,
    send: await telegramSender(deps.config),
    scrub: createScrubber(secretsOf(deps.config)),
    admins: deps.admins,
    floodPerMinute: deps.config.alarms.floodPerMinute,
    logger: deps.logger.child({ component: 'outbox' }),
  });
}

/** Sends the outbox's messages; the payee's QR code is rendered once, as every order's photo. */
async function telegramSender(config: Config) {
  return createTelegramSender({
    telegram: new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot }),
    payeeQrPng: await QRCode.toBuffer(config.payeeQrUrl, { type: 'png', width: 480, margin: 2 }),
  });
}

/** The customers' use cases, called by Telegram user id as the bot names customers. */
function customerUseCases(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  outbox: Outbox;
  customers: Customers;
  mailboxState: () => MailboxState;
}) {
  const { db, config, clock, outbox } = deps;
  const users = deps.customers.telegramUsers;
  return {
    ...createCustomerOrders({
      db,
      config,
      clock,
      users,
      randomIndex: (n) => randomInt(n),
      mailboxState: deps.mailboxState,
      onQueued: () => outbox.kick(),
      deliverNow: (outboxIds) => outbox.deliverNow(outboxIds),
    }),
    getBalance: users.byUser(deps.customers.getBalance, 0),
  };
}

function adminUseCases(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  onQueued: () => void;
  customers: Customers;
  reports: Pick<Reports, 'healthText' | 'getStats'>;
}) {
  const { db, clock, onQueued } = deps;
  const { timeZone } = deps.config;
  const transaction = transactionOf(db);
  return {
    reviewPayment: createReviewPayment({
      transaction,
      clock,
      timeZone,
      adminLanguage: deps.config.telegram.adminLanguage,
      onQueued,
    }),
    refundOrder: createRefundOrder({ transaction, clock, onQueued }),
    adjustBalance: deps.customers.adjustBalance,
    listPending: createListPending({
      transaction,
      settings: { timeZone, nearFen: deps.config.recharge.offsetMaxFen },
      onQueued,
    }),
    findOrder: createFindOrder({ store: createStore(db), timeZone }),
    queueMessage: createQueueMessage({ outbox: createOutboxRepository({ db }), onQueued }),
    healthText: deps.reports.healthText,
    getStats: deps.reports.getStats,
  };
}

/** GET /healthz and whatever routes other modules add, unless HTTP_PORT=0. */
async function startHttp(config: Config, routes: readonly Route[]) {
  if (config.httpPort === 0) return null;
  const router = createRouter(routes);
  const server = await startHttpServer({ port: config.httpPort, host: config.httpHost, router });
  return { port: server.port, stop: server.close };
}
