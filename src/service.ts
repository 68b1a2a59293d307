// Wires the service together — database, outbox, mailbox watcher, bot, health endpoint — and stops it in order.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { Telegram } from 'telegraf';
import { createLanguageChoice } from './modules/customers/choose-language.ts';
import { createGetBalance } from './modules/customers/get-balance.ts';
import { createTelegramUsers } from './modules/customers/telegram-user.ts';
import { startHealthServer } from './modules/http/health-server.ts';
import { startAuthHoldRetrier } from './modules/ingestion/mail/auth-hold-retrier.ts';
import { mailAuthenticatorFor } from './modules/ingestion/mail/authenticate-mail.ts';
import { createCursorRepository } from './modules/ingestion/mail/cursor.repository.ts';
import { createIngestMessages, isTransientIngestError } from './modules/ingestion/mail/ingest-message.ts';
import { startMailReader } from './modules/ingestion/mail/mail-reader.ts';
import { startMailboxWatcher, type WatcherTiming } from './modules/ingestion/mail/mailbox-watcher.ts';
import { createReportMailboxOutage } from './modules/ingestion/mail/report-mailbox-outage.ts';
import { createRetryHeldAuthentications } from './modules/ingestion/mail/retry-held-authentications.ts';
import { createRecordUnprocessable } from './modules/ingestion/record-unprocessable.ts';
import { adminAudienceOf } from './modules/notify/admin-audience.ts';
import { createCancelOrder } from './modules/orders/cancel-order.ts';
import { createCreateOrder } from './modules/orders/create-order.ts';
import { createExpireOrders } from './modules/orders/expire-orders.ts';
import { startExpirySweeper } from './modules/orders/expiry-sweeper.ts';
import { createListOrders } from './modules/orders/list-orders.ts';
import { createDeliverOutbox } from './modules/outbox/deliver-outbox.ts';
import { startOutboxRunner } from './modules/outbox/outbox-runner.ts';
import type { NotificationRule } from './modules/payments/notification/rules.ts';
import { startAdmin } from './modules/review/admin-console.ts';
import { createBot } from './modules/telegram/bot.ts';
import { startCommandMenus } from './modules/telegram/command-menus.ts';
import { startPolling } from './modules/telegram/polling.ts';
import { createTelegramSender } from './modules/telegram/send-message.ts';
import type { BackoffPolicy } from './shared/backoff.ts';
import { type Config, secretsOf } from './shared/config/config.ts';
import { startBackupRequests } from './shared/db/backup-requests.ts';
import { openDatabase } from './shared/db/database.ts';
import type { RootLogger } from './shared/logger/logger.ts';
import { createScrubber } from './shared/logger/scrub-secrets.ts';
import { type Clock, systemClock } from './shared/ports.ts';

export async function startService(options: {
  config: Config;
  rules: readonly NotificationRule[];
  logger: RootLogger;
  clock?: Clock;
  /**
   * Internal knobs, not configuration: tests shorten the watcher's time-outs, how often alarms are checked, the
   * DKIM look-up time-out, and how soon held payments are tried again.
   */
  tuning?: {
    mailbox?: Partial<WatcherTiming>;
    alarmCheckMs?: number;
    dnsTimeoutMs?: number;
    authHold?: { retry?: BackoffPolicy; checkMs?: number };
  };
}) {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  if (config.mail.auth === 'none') {
    logger.warn(
      'MAIL_AUTH=none: notifications are NOT authenticated; a forged e-mail from a trusted address can credit',
    );
  }

  const database = await openDatabase(config.database);
  if (database.creation) {
    logger.info(
      { ...database.creation, dataDir: config.database.dataDir },
      'embedded database created by a short-lived initdb process',
    );
  }
  logger.info({ driver: database.driver }, 'database ready');
  const { db } = database;
  const payeeQrPng = await QRCode.toBuffer(config.payeeQrUrl, { type: 'png', width: 480, margin: 2 });
  const admins = adminAudienceOf(config);
  const languages = createLanguageChoice({ db });
  const telegramUsers = createTelegramUsers({ db });

  const outboxRunner = startOutboxRunner({
    deliverDue: createDeliverOutbox({
      db,
      clock,
      send: createTelegramSender({
        telegram: new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot }),
        payeeQrPng,
      }),
      logger: logger.child({ component: 'outbox' }),
      scrub: createScrubber(secretsOf(config)),
      admins,
      floodPerMinute: config.alarms.floodPerMinute,
    }),
    logger,
  });
  const onQueued = () => outboxRunner.kick();
  const expirySweeper = startExpirySweeper({
    expireOrders: createExpireOrders({ db, clock, onQueued }),
    logger: logger.child({ component: 'expiry' }),
  });

  const tuning = options.tuning ?? {};
  // One authenticator (one DKIM key cache) for new mail and for held payments.
  const authenticateMail = mailAuthenticatorFor(
    config.mail,
    tuning.dnsTimeoutMs === undefined ? {} : { dnsTimeoutMs: tuning.dnsTimeoutMs },
  );
  const authHoldRetrier = startAuthHoldRetrier({
    retryHeldAuthentications: createRetryHeldAuthentications({
      db,
      config,
      clock,
      authenticateMail,
      logger: logger.child({ component: 'auth-hold' }),
      onQueued,
      ...(tuning.authHold?.retry ? { retry: tuning.authHold.retry } : {}),
    }),
    logger: logger.child({ component: 'auth-hold' }),
    ...(tuning.authHold?.checkMs ? { intervalMs: tuning.authHold.checkMs } : {}),
  });

  const mailReader = startMailReader({ rules: options.rules, timeoutMs: config.mail.examineTimeoutMs });

  const watcher = startMailboxWatcher({
    imap: config.imap,
    maxBytes: config.mail.maxBytes,
    cursors: createCursorRepository({ db }),
    ingest: createIngestMessages({
      db,
      config,
      clock,
      readMail: mailReader.read,
      authenticateMail,
      logger: logger.child({ component: 'ingest' }),
      onQueued,
    }),
    isTransient: isTransientIngestError,
    giveUp: createRecordUnprocessable({ db, config, clock, onQueued }),
    onOutage: createReportMailboxOutage({
      db,
      admins,
      mailbox: config.imap.mailbox,
      timeZone: config.timeZone,
      clock,
      onQueued,
    }),
    ...(options.tuning?.mailbox ? { timing: options.tuning.mailbox } : {}),
    logger: logger.child({ component: 'imap' }),
  });

  const admin = startAdmin({
    db,
    config,
    clock,
    mailboxState: () => watcher.state(),
    mailboxProblem: () => watcher.problem(),
    mailboxCatchUp: () => watcher.catchUp(),
    onQueued,
    logger: logger.child({ component: 'admin' }),
    alarmCheckMs: options.tuning?.alarmCheckMs ?? 30_000,
    chosenLanguage: languages.chosen,
  });
  const menus = startCommandMenus({
    telegram: new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot }),
    config,
    chosenOf: languages.chosenOf,
    logger: logger.child({ component: 'bot' }),
  });
  const bot = createBot({
    config,
    logger: logger.child({ component: 'bot' }),
    extensions: [admin.registerHandlers],
    useCases: {
      createOrder: createCreateOrder({
        db,
        config,
        clock,
        randomIndex: (n) => randomInt(n),
        mailboxState: () => watcher.state(),
        onQueued: (outboxIds) => outboxRunner.deliverNow(outboxIds),
      }),
      cancelOrder: telegramUsers.byUser(
        createCancelOrder({ db, clock, limits: config.recharge.limits, onQueued }),
        {
          kind: 'nothing_to_cancel',
        },
      ),
      getBalance: telegramUsers.byUser(createGetBalance({ db }), 0),
      listOrders: telegramUsers.byUser(createListOrders({ db }), []),
      chosenLanguage: languages.chosen,
      async chooseLanguage(profile, language) {
        await languages.choose(profile, language);
        await menus.languageChosen(profile.id, language);
      },
    },
  });
  const polling = startPolling({ bot, logger: logger.child({ component: 'bot' }) });

  const health =
    config.httpPort === 0
      ? null
      : await startHealthServer({
          port: config.httpPort,
          host: config.httpHost,
          checks: {
            database: async () => {
              await database.rows(sql`select 1`);
              return { up: true };
            },
            mailbox: async () => ({ up: watcher.state() === 'connected' }),
            bot: async () => ({ up: polling.state() === 'polling' }),
          },
        });
  // `npm run backup` asks the service holding the embedded database; PostgreSQL has pg_dump.
  const backups =
    database.dumpDataDir && config.database.dataDir !== 'memory://'
      ? startBackupRequests({
          dataDir: config.database.dataDir,
          dump: database.dumpDataDir,
          logger: logger.child({ component: 'backup' }),
        })
      : null;
  logger.info({ httpPort: health?.port ?? null }, 'mailpay started');

  return {
    database,
    healthPort: health?.port ?? null,
    mailboxState: () => watcher.state(),
    /** Stop taking updates, finish the payment in hand, deliver nothing more, close IMAP and the database. */
    async stop() {
      await polling.stop();
      await menus.stop();
      await admin.stop();
      await watcher.stop();
      await mailReader.close();
      await authHoldRetrier.stop();
      await expirySweeper.stop();
      await outboxRunner.stop();
      await health?.close();
      await backups?.stop();
      await database.close();
      logger.info('mailpay stopped');
    },
  };
}

export type Service = Awaited<ReturnType<typeof startService>>;
