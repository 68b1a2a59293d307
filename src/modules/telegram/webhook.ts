// Webhook mode (TELEGRAM_WEBHOOK=true): Telegram POSTs each update to PUBLIC_URL/telegram/webhook, to any
// instance behind the load balancer. The route checks the secret_token header (constant time) before it
// reads anything, bounds the body, and claims the update_id in the database, so an update delivered twice
// (a retry, or two instances) is handled once; an update another instance is handling gets 503 and Telegram
// tries again. telegraf registers the webhook (`createWebhook`: setWebhook with the secret) and handles the
// update through the middleware it returns.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Telegraf } from 'telegraf';
import { nextDelay } from '../../shared/backoff.ts';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import { BodyTooLarge, readBody, sendJson } from '../http/request-body.ts';
import type { Route } from '../http/router.ts';
import { sleep } from './polling.ts';
import { createUpdateClaims, type UpdateClaims } from './update-claims.repository.ts';

export const WEBHOOK_PATH = '/telegram/webhook';
/** Updates are a few KB; a photo or document arrives as a file id, not bytes. */
const MAX_UPDATE_BYTES = 1_000_000;
/** A claim this old without an answer belongs to an instance that died mid-update. */
const CLAIM_STALE_MS = 10_000;
const DAY_MS = 86_400_000;
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

type Middleware = ReturnType<Telegraf['webhookCallback']>;

export function createTelegramWebhook(deps: {
  bot: Telegraf;
  publicUrl: string;
  secret: string;
  claims: UpdateClaims;
  clock: Clock;
  logger: Logger;
}) {
  const { bot, claims, clock, logger } = deps;
  const base = new URL(deps.publicUrl);
  const path = `${base.pathname.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
  // Replies go out as API calls, not in the webhook's answer: each is confirmed, and the outbox retries.
  bot.telegram.webhookReply = false;
  let middleware: Middleware | null = null;
  let updatesSeen = 0;

  const route: Route = {
    method: 'POST',
    path,
    handle: (request, response) => {
      if (++updatesSeen % 1000 === 0)
        void claims.prune(new Date(clock.now().getTime() - DAY_MS)).catch(() => {});
      return takeUpdate({ ...deps, middleware }, request, response);
    },
  };

  const stopping = new AbortController();
  return {
    route,
    state: () => (middleware ? 'webhook' : 'starting'),
    /** Registers the webhook with Telegram, trying again until it is; call once the HTTP server listens. */
    async register() {
      for (let attempt = 1; !stopping.signal.aborted; attempt++) {
        try {
          middleware = await bot.createWebhook({
            domain: base.host,
            path,
            secret_token: deps.secret,
            allowed_updates: ['message', 'callback_query'],
          });
          logger.info({ path }, 'telegram webhook registered');
          return;
        } catch (error) {
          const delayMs = nextDelay(attempt, { baseMs: 500, maxMs: 30_000 }, Math.random());
          logger.warn({ err: error, delayMs }, 'could not register the telegram webhook; will try again');
          await sleep(delayMs, stopping.signal);
        }
      }
    },
    /** Stops trying to register; the webhook stays set, as the other instances still take updates. */
    stop() {
      stopping.abort();
    },
  };
}

/** One POST from Telegram: authenticated, bounded, claimed, handled once. */
async function takeUpdate(
  deps: { secret: string; claims: UpdateClaims; clock: Clock; logger: Logger; middleware: Middleware | null },
  request: Parameters<Route['handle']>[0],
  response: Parameters<Route['handle']>[1],
): Promise<void> {
  const { claims, clock, middleware } = deps;
  if (!secretMatches(request.headers[SECRET_HEADER], deps.secret)) {
    return sendJson(response, 401, { error: 'unauthorized' });
  }
  if (!middleware) return sendJson(response, 503, { error: 'starting' });
  const update = await readUpdate(request).catch((error: unknown) => error);
  if (update instanceof BodyTooLarge) return sendJson(response, 413, { error: 'too large' });
  if (!isUpdate(update)) return sendJson(response, 400, { error: 'not an update' });
  const now = clock.now();
  const claim = await claims.claim(update.update_id, now, new Date(now.getTime() - CLAIM_STALE_MS));
  if (claim === 'handled') return sendJson(response, 200, { ok: true });
  if (claim === 'busy') return sendJson(response, 503, { error: 'busy' }, { 'retry-after': '1' });
  try {
    Object.assign(request, { body: update });
    await middleware(request, response, () => sendJson(response, 404, { error: 'not found' }));
    await claims.handled(update.update_id, clock.now());
  } catch (error) {
    deps.logger.error({ err: error, updateId: update.update_id }, 'webhook update failed');
    await claims.release(update.update_id).catch(() => {});
    if (!response.headersSent) sendJson(response, 500, { error: 'internal' });
  }
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

async function readUpdate(request: Parameters<Route['handle']>[0]): Promise<unknown> {
  const body = await readBody(request, MAX_UPDATE_BYTES);
  return JSON.parse(body.toString('utf8'));
}

function isUpdate(value: unknown): value is { update_id: number } {
  const id = (value as { update_id?: unknown } | null)?.update_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0;
}

export type TelegramWebhook = ReturnType<typeof createTelegramWebhook>;

/** The webhook's settings, when TELEGRAM_WEBHOOK=true (the configuration makes sure PUBLIC_URL is set). */
export function webhookSettingsOf(config: Config, db: Db, clock: Clock) {
  const { webhook } = config.telegram;
  const { publicUrl } = config.merchant;
  if (!webhook || !publicUrl) return null;
  return { publicUrl, secret: webhook.secret, claims: createUpdateClaims({ db }), clock };
}
