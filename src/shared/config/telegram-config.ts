// The Telegram section of the configuration: the bot, its API and its admins.

import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { bool, csv, oneOf } from './config-values.ts';

const telegramUserIds = z.string().transform((value, ctx) => {
  const ids = csv(value);
  if (ids.length === 0 || ids.some((id) => !/^\d{1,15}$/.test(id))) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated numeric Telegram user ids' });
    return z.NEVER;
  }
  return ids.map(Number);
});
const url = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const telegramEnv = z.object({
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'expected a bot token like 123456:ABC-def'),
  TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
  ADMIN_CHAT_IDS: telegramUserIds,
  ADMIN_LANGUAGE: oneOf(['zh', 'en']).default('zh'),
  TELEGRAM_WEBHOOK: bool.default(false),
  // What Telegram accepts as a webhook's secret_token: 1–256 of A-Z a-z 0-9 _ -; we ask for 16 at least.
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, _ or -')
    .optional(),
});

/** Webhook mode needs the public address Telegram pushes updates to. */
export const webhookHasAddress = z.refine<{ TELEGRAM_WEBHOOK?: boolean; PUBLIC_URL?: string }>(
  (env) => !env.TELEGRAM_WEBHOOK || env.PUBLIC_URL !== undefined,
  {
    path: ['PUBLIC_URL'],
    message: 'is required when TELEGRAM_WEBHOOK=true (Telegram sends updates to PUBLIC_URL/telegram/webhook)',
    when: ({ issues }) =>
      !issues.some((issue) => ['PUBLIC_URL', 'TELEGRAM_WEBHOOK'].includes(String(issue.path?.[0]))),
  },
);

export type TelegramConfig = {
  token: string;
  apiRoot: string;
  adminIds: readonly number[];
  adminLanguage: 'zh' | 'en';
  /** Set: updates come by webhook (every instance takes them); null: long polling. */
  webhook: { secret: string } | null;
};

export function toTelegramConfig(env: z.infer<typeof telegramEnv>): TelegramConfig {
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    adminIds: env.ADMIN_CHAT_IDS,
    adminLanguage: env.ADMIN_LANGUAGE,
    webhook: env.TELEGRAM_WEBHOOK
      ? { secret: env.TELEGRAM_WEBHOOK_SECRET ?? derivedWebhookSecret(env.TELEGRAM_BOT_TOKEN) }
      : null,
  };
}

/** Without TELEGRAM_WEBHOOK_SECRET: a secret only the token's holder can compute, the same on every instance. */
function derivedWebhookSecret(token: string): string {
  return createHmac('sha256', token).update('mailpay telegram webhook secret').digest('base64url');
}
