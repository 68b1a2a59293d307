// The bot: private chats only, the admins' and the customers' features in that order, one error boundary.
import { Composer, type Context, Telegraf } from 'telegraf';
import type { Logger } from '../../shared/ports.ts';
import { languageOf, textsFor } from '../notify/customer-texts.ts';

export function createBot({
  token,
  apiRoot,
  features,
  textsOf,
  logger,
}: {
  token: string;
  apiRoot: string;
  /** Each feature passes what it does not handle on to the next. */
  features: ReadonlyArray<Composer<Context>>;
  /** The texts a user reads, for the error boundary's answer. */
  textsOf: (ctx: Context) => Promise<ReturnType<typeof textsFor>>;
  logger: Logger;
}) {
  const bot = new Telegraf(token, { telegram: { apiRoot } });
  // Customers talk to the bot in private; group chats are not served.
  bot.use(Composer.drop((ctx) => ctx.chat !== undefined && ctx.chat.type !== 'private'));
  bot.use(...features);
  bot.catch(async (error, ctx) => {
    logger.error({ err: error, updateId: ctx.update.update_id }, 'bot handler failed');
    const texts = await textsOf(ctx).catch(() => textsFor(languageOf(ctx.from?.language_code)));
    await ctx.reply(texts.unknownError).catch(() => {});
  });
  return bot;
}
