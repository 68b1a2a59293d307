// The service's two outboxes as main.ts starts them: Telegram messages (with the payee's QR codes rendered once)
// and HTTP deliveries (shop notifies, events), and the one wake-up that use cases call after queueing.
import QRCode from 'qrcode';
import { Telegram } from 'telegraf';
import type { AdminAudience } from './modules/notify/admin-audience.ts';
import { startOutbox } from './modules/outbox/start-outbox.ts';
import { createTelegramSender } from './modules/telegram/send-message.ts';
import { startWebOutbox, type WebOutboxTuning } from './modules/web-outbox/start-web-outbox.ts';
import type { Config } from './shared/config/config.ts';
import { secretsOf } from './shared/config/config.ts';
import type { Db } from './shared/db/database.ts';
import type { RootLogger } from './shared/logger/logger.ts';
import { createScrubber } from './shared/logger/scrub-secrets.ts';
import type { Clock } from './shared/ports.ts';

/** The outbox of Telegram messages, delivered in the background. */
export async function startTelegramOutbox(deps: {
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

/** The HTTP outbox (shop notifies, events); a give-up tells the admins through the Telegram outbox. */
export function startHttpOutbox(
  options: { config: Config; logger: RootLogger; tuning?: { webOutbox?: Partial<WebOutboxTuning> } },
  deps: Pick<Parameters<typeof startWebOutbox>[0], 'db' | 'clock' | 'admins' | 'telegramOutbox'>,
) {
  const logger = options.logger.child({ component: 'web-outbox' });
  return startWebOutbox({ ...deps, config: options.config, logger, tuning: options.tuning?.webOutbox });
}

/** Wakes each outbox: what a use case calls once it has queued something and committed. */
export const kickAll =
  (...queues: ReadonlyArray<{ kick(): void }>) =>
  () => {
    for (const queue of queues) queue.kick();
  };

/** Sends the outbox's messages; the payee's QR codes are rendered once, as every order's photo. */
async function telegramSender(config: Config) {
  const png = (url: string) => QRCode.toBuffer(url, { type: 'png', width: 480, margin: 2 });
  return createTelegramSender({
    telegram: new Telegram(config.telegram.token, { apiRoot: config.telegram.apiRoot }),
    payeeQrPng: await png(config.payeeQrUrl),
    wechatQrPng: config.payeeQrUrlWechat === null ? null : await png(config.payeeQrUrlWechat),
  });
}
