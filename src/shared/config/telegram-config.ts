// The Telegram section of the configuration: the bot, its API and its admins.
import { z } from 'zod';
import { csv, oneOf } from './config-values.ts';

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
});

export type TelegramConfig = {
  token: string;
  apiRoot: string;
  adminIds: readonly number[];
  adminLanguage: 'zh' | 'en';
};

export function toTelegramConfig(env: z.infer<typeof telegramEnv>): TelegramConfig {
  return {
    token: env.TELEGRAM_BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    adminIds: env.ADMIN_CHAT_IDS,
    adminLanguage: env.ADMIN_LANGUAGE,
  };
}
