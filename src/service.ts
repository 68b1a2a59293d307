// Wires the service together — database, outbox, mailbox watcher, bot, health endpoint — and stops it in order.
import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { Telegram } from 'telegraf';
import { createCursorRepository } from './adapters/db/cursor.repository.ts';
import { openDatabase } from './adapters/db/database.ts';
import { startHealthServer } from './adapters/http/health-server.ts';
import { startMailboxWatcher, type WatcherTiming } from './adapters/imap/mailbox-watcher.ts';
import { mailAuthenticatorFor } from './adapters/mail/authenticate-mail.ts';
import { startExpirySweeper } from './adapters/scheduler/expiry-sweeper.ts';
import { startOutboxRunner } from './adapters/scheduler/outbox-runner.ts';
import { createBot } from './adapters/telegram/bot.ts';
import { startPolling } from './adapters/telegram/polling.ts';
import { createTelegramSender } from './adapters/telegram/send-message.ts';
import { startAdmin } from './admin.ts';
import { createCancelOrder } from './app/cancel-order.ts';
import { createCreateOrder } from './app/create-order.ts';
import { createDeliverOutbox } from './app/deliver-outbox.ts';
import { createExpireOrders } from './app/expire-orders.ts';
import { createGetBalance } from './app/get-balance.ts';
import { createIngestMessages, isTransientIngestError } from './app/ingest-message.ts';
import { createListOrders } from './app/list-orders.ts';
import { type Clock, systemClock } from './app/ports.ts';
import { createRecordUnprocessable } from './app/record-unprocessable.ts';
import { createReportMailboxOutage } from './app/report-mailbox-outage.ts';
import { type Config, secretsOf } from './config.ts';
import type { NotificationRule } from './domain/notification/rules.ts';
import { createScrubber } from './domain/scrub-secrets.ts';
import type { RootLogger } from './logger.ts';

export async function startService(options: {
  config: Config;
  rules: readonly NotificationRule[];
  logger: RootLogger;
  clock?: Clock;
  /** Internal knobs, not configuration: tests shorten the watcher's time-outs and how often alarms are checked. */
  tuning?: { mailbox?: Partial<WatcherTiming>; alarmCheckMs?: number };
}) {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  if (config.mail.auth === 'none') {
    logger.warn(
      'MAIL_AUTH=none: notifications are NOT authenticated; a forged e-mail from a trusted address can credit',
    );
  }

  const database = await openDatabase(config.database);
  logger.info({ driver: database.driver }, 'database ready');
  const { db } = database;
  const payeeQrPng = await QRCode.toBuffer(config.payeeQrUrl, { type: 'png', width: 480, margin: 2 });

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
      adminIds: config.telegram.adminIds,
      floodPerMinute: config.alarms.floodPerMinute,
    }),
    logger,
  });
  const onQueued = () => outboxRunner.kick();
  const expirySweeper = startExpirySweeper({
    expireOrders: createExpireOrders({ db, clock, onQueued }),
    logger: logger.child({ component: 'expiry' }),
  });

  const watcher = startMailboxWatcher({
    imap: config.imap,
    maxBytes: config.mail.maxBytes,
    cursors: createCursorRepository({ db }),
    ingest: createIngestMessages({
      db,
      config,
      clock,
      rules: options.rules,
      authenticateMail: mailAuthenticatorFor(config.mail),
      logger: logger.child({ component: 'ingest' }),
      onQueued,
    }),
    isTransient: isTransientIngestError,
    giveUp: createRecordUnprocessable({ db, config, clock, onQueued }),
    onOutage: createReportMailboxOutage({
      db,
      adminIds: config.telegram.adminIds,
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
    onQueued,
    logger: logger.child({ component: 'admin' }),
    alarmCheckMs: options.tuning?.alarmCheckMs ?? 30_000,
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
  logger.info({ httpPort: health?.port ?? null }, 'mailpay started');

  return {
    database,
    healthPort: health?.port ?? null,
    mailboxState: () => watcher.state(),
    /** Stop taking updates, finish the payment in hand, deliver nothing more, close IMAP and the database. */
    async stop() {
      await polling.stop();
      await admin.stop();
      await watcher.stop();
      await expirySweeper.stop();
      await outboxRunner.stop();
      await health?.close();
      await database.close();
      logger.info('mailpay stopped');
    },
  };
}

export type Service = Awaited<ReturnType<typeof startService>>;
