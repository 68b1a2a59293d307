// Wires the service together — database, outbox, mailbox watcher, bot, health endpoint — and stops it in order.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { Telegram } from 'telegraf';
import { startBackupRequests } from './adapters/db/backup-requests.ts';
import { createCursorRepository } from './adapters/db/cursor.repository.ts';
import { openDatabase } from './adapters/db/database.ts';
import { startHealthServer } from './adapters/http/health-server.ts';
import { startMailboxWatcher, type WatcherTiming } from './adapters/imap/mailbox-watcher.ts';
import { mailAuthenticatorFor } from './adapters/mail/authenticate-mail.ts';
import { startMailReader } from './adapters/mail/mail-reader.ts';
import { startAuthHoldRetrier } from './adapters/scheduler/auth-hold-retrier.ts';
import { startExpirySweeper } from './adapters/scheduler/expiry-sweeper.ts';
import { startOutboxRunner } from './adapters/scheduler/outbox-runner.ts';
import { createBot } from './adapters/telegram/bot.ts';
import { startCommandMenus } from './adapters/telegram/command-menus.ts';
import { startPolling } from './adapters/telegram/polling.ts';
import { createTelegramSender } from './adapters/telegram/send-message.ts';
import { startAdmin } from './admin.ts';
import { adminAudienceOf } from './app/admin-audience.ts';
import { createCancelOrder } from './app/cancel-order.ts';
import { createLanguageChoice } from './app/choose-language.ts';
import { createCreateOrder } from './app/create-order.ts';
import { createDeliverOutbox } from './app/deliver-outbox.ts';
import { createExpireOrders } from './app/expire-orders.ts';
import { createGetBalance } from './app/get-balance.ts';
import { createIngestMessages, isTransientIngestError } from './app/ingest-message.ts';
import { createListOrders } from './app/list-orders.ts';
import { type Clock, systemClock } from './app/ports.ts';
import { createRecordUnprocessable } from './app/record-unprocessable.ts';
import { createReportMailboxOutage } from './app/report-mailbox-outage.ts';
import { createRetryHeldAuthentications } from './app/retry-held-authentications.ts';
import { type Config, secretsOf } from './config.ts';
import type { BackoffPolicy } from './domain/backoff.ts';
import type { NotificationRule } from './domain/notification/rules.ts';
import { createScrubber } from './domain/scrub-secrets.ts';
import type { RootLogger } from './logger.ts';

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
      cancelOrder: createCancelOrder({ db, clock, limits: config.recharge.limits, onQueued }),
      getBalance: createGetBalance({ db }),
      listOrders: createListOrders({ db }),
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
