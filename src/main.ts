// The one place that wires the service: each module's starter, composed, and stopped in order.
import { randomInt } from 'node:crypto';
import { balanceApi } from './modules/balance-api/balance-api.ts';
import { checkoutRoutesOf } from './modules/checkout/checkout-routes.ts';
import { type Customers, createCustomers } from './modules/customers/create-customers.ts';
import { type EpayTuning, shopPaymentRoutes } from './modules/epay/start-epay.ts';
import { forwarderWebhook } from './modules/ingestion/forwarder/start-forwarder.ts';
import { type MailTuning, startMailIngestion } from './modules/ingestion/mail/start-mail-ingestion.ts';
import { instanceRoleOf } from './modules/instances/instance-role.ts';
import { adminAudienceOf } from './modules/notify/admin-audience.ts';
import { choosableProviders } from './modules/orders/create-order.ts';
import { createCustomerOrders } from './modules/orders/customer-orders.ts';
import { createExpireOrders } from './modules/orders/expire-orders.ts';
import { startExpirySweeper } from './modules/orders/expiry-sweeper.ts';
import { createFindOrder } from './modules/orders/find-order.ts';
import { createRefundOrder } from './modules/orders/refund-order.ts';
import { createOutboxRepository } from './modules/outbox/outbox.repository.ts';
import { createQueueMessage } from './modules/outbox/queue-message.ts';
import type { Outbox } from './modules/outbox/start-outbox.ts';
import type { NotificationRule } from './modules/payments/notification/rules.ts';
import { type Reports, startReports } from './modules/reports/start-reports.ts';
import { createListPending } from './modules/review/list-pending.ts';
import { createReviewPayment } from './modules/review/review-payment.ts';
import { createStatementUseCases } from './modules/statements/create-statement-use-cases.ts';
import { startTelegram } from './modules/telegram/start-telegram.ts';
import { webhookSettingsOf } from './modules/telegram/webhook.ts';
import { createRenotify } from './modules/web-outbox/renotify.ts';
import type { WebOutboxTuning } from './modules/web-outbox/start-web-outbox.ts';
import { kickAll, startHttpOutbox, startTelegramOutbox } from './outboxes.ts';
import { serveHttp } from './serve-http.ts';
import type { Config } from './shared/config/config.ts';
import type { Db } from './shared/db/database.ts';
import { openServiceDatabase, startBackups } from './shared/db/service-database.ts';
import { createStore, storeSettingsOf, transactionOf } from './shared/db/store.ts';
import type { RootLogger } from './shared/logger/logger.ts';
import { type Clock, type MailboxState, systemClock } from './shared/ports.ts';

export async function startService(options: {
  config: Config;
  rules: readonly NotificationRule[];
  logger: RootLogger;
  clock?: Clock;
  /** Internal knobs, not configuration: tests shorten the watcher's time-outs and how often alarms are checked. */
  tuning?: MailTuning & EpayTuning & { alarmCheckMs?: number; webOutbox?: Partial<WebOutboxTuning> };
}) {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const database = await openServiceDatabase(config.database, logger);
  const { db } = database;
  const { leadership, leaderOnly } = instanceRoleOf(config.database.url, database, logger);
  const admins = adminAudienceOf(config);
  const outbox = await startTelegramOutbox({ config, db, clock, admins, logger });
  const web = startHttpOutbox(options, { db, clock, admins, telegramOutbox: outbox });
  const onQueued = kickAll(outbox, web);
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
    settings: { timeZone: config.timeZone, ...config.alarms, sources: config.forwarder ? ['forwarder'] : [] },
    mailbox: mail.watcher,
    alarmCheckMs: options.tuning?.alarmCheckMs ?? 30_000,
    leaderOnly,
    onQueued,
    logger: logger.child({ component: 'admin' }),
  });
  const telegram = startTelegram({
    bot: config.telegram,
    settings: { ...config.recharge, timeZone: config.timeZone, providers: choosableProviders(config) },
    customer: customerUseCases({ db, config, clock, outbox, customers, mailboxState }),
    admin: adminUseCases({ db, config, clock, onQueued, customers, reports, logger }),
    languages: customers.languages,
    webhook: webhookSettingsOf(config, db, clock),
    logger: logger.child({ component: 'bot' }),
  });
  const forwarder = forwarderWebhook({ ...options, db, clock, onQueued });
  const [role, routes] = [leadership.role, appRoutes({ ...options, db, clock, mailboxState, onQueued })];
  const http = await serveHttp({ config, database, role, mailboxState, telegram, forwarder, routes });
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
      for (const part of [telegram, reports, mail, leadership, expiry, web, outbox, http, backups])
        await part?.stop();
      await database.close();
      logger.info('mailpay stopped');
    },
  };
}

export type Service = Awaited<ReturnType<typeof startService>>;

/** The shops' routes (MERCHANTS: the EPay API, the checkout page) and the operator app's (API_TOKEN). */
function appRoutes(deps: Parameters<typeof shopPaymentRoutes>[0] & { onQueued: () => void }) {
  return [...shopPaymentRoutes(deps), ...checkoutRoutesOf(deps), ...balanceApi(deps)];
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
  logger: RootLogger;
}) {
  const { db, clock, onQueued } = deps;
  const { timeZone } = deps.config;
  const { adminLanguage } = deps.config.telegram;
  const transaction = transactionOf(db, storeSettingsOf(deps.config));
  return {
    reviewPayment: createReviewPayment({ transaction, clock, timeZone, adminLanguage, onQueued }),
    refundOrder: createRefundOrder({ transaction, clock, onQueued }),
    adjustBalance: deps.customers.adjustBalance,
    listPending: createListPending({
      transaction,
      settings: { timeZone, nearFen: deps.config.recharge.offsetMaxFen },
      onQueued,
    }),
    findOrder: createFindOrder({ store: createStore(db), timeZone }),
    queueMessage: createQueueMessage({ outbox: createOutboxRepository({ db }), onQueued }),
    renotify: createRenotify({ transaction, clock, onWebQueued: onQueued }),
    healthText: deps.reports.healthText,
    getStats: deps.reports.getStats,
    statements: createStatementUseCases({ db, config: deps.config, clock, onQueued, logger: deps.logger }),
  };
}
