// The customer-facing bot: each handler parses its input, calls one use case and answers.
import { type Context, Telegraf } from 'telegraf';
import type { Config } from '../../shared/config/config.ts';
import { formatFen, formatYuan } from '../../shared/money.ts';
import type { Logger } from '../../shared/ports.ts';
import { assertNever } from '../../shared/result.ts';
import type { CustomerProfile } from '../customers/telegram-customers.repository.ts';
import {
  formatLocalTime,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  languageOf,
  parseLanguage,
  textsFor,
} from '../notify/customer-texts.ts';
import type { CancelOrder } from '../orders/cancel-order.ts';
import type { CreateOrder, CreateOrderOutcome } from '../orders/create-order.ts';
import type { ListOrders } from '../orders/list-orders.ts';

export interface BotUseCases {
  createOrder: CreateOrder;
  cancelOrder: CancelOrder;
  getBalance: (customerId: number) => Promise<number>;
  listOrders: ListOrders;
  /** The language the user chose with /lang, or null. */
  chosenLanguage: (userId: number) => Promise<Language | null>;
  chooseLanguage: (profile: CustomerProfile, language: Language) => Promise<void>;
}

export function createBot({
  config,
  useCases,
  logger,
  extensions = [],
}: {
  config: Config;
  useCases: BotUseCases;
  logger: Logger;
  /** Handlers that run before the customer's (the admin console). */
  extensions?: ReadonlyArray<(bot: Telegraf) => void>;
}) {
  const bot = new Telegraf(config.telegram.token, { telegram: { apiRoot: config.telegram.apiRoot } });
  const { minFen, maxFen } = config.recharge;
  /** The user's texts: the language chosen with /lang, else their Telegram app's. */
  const textsOf = async (ctx: Context) =>
    textsFor(
      (ctx.from ? await useCases.chosenLanguage(ctx.from.id) : null) ?? languageOf(ctx.from?.language_code),
    );

  // Customers talk to the bot in private; group chats are not served.
  bot.use(async (ctx, next) => {
    if (ctx.chat && ctx.chat.type !== 'private') return;
    await next();
  });
  for (const register of extensions) register(bot);

  bot.start(async (ctx) => ctx.reply((await textsOf(ctx)).help(minFen, maxFen)));
  bot.help(async (ctx) => ctx.reply((await textsOf(ctx)).help(minFen, maxFen)));

  /** `/lang en` / `/lang 中文` switch at once; a bare `/lang` offers the languages as buttons. */
  bot.command('lang', async (ctx) => {
    const language = parseLanguage(ctx.payload);
    if (language) return void (await switchLanguage(ctx, language));
    const buttons = LANGUAGES.map((l) => ({ text: LANGUAGE_NAMES[l], callback_data: `lang:${l}` }));
    await ctx.reply((await textsOf(ctx)).languagePrompt, { reply_markup: { inline_keyboard: [buttons] } });
  });

  bot.action(/^lang:(zh|en)$/, async (ctx) => {
    await ctx.answerCbQuery();
    const language = parseLanguage(ctx.match[1]);
    if (language) await switchLanguage(ctx, language);
  });

  bot.command('recharge', async (ctx) => {
    const amountText = ctx.payload.trim();
    if (amountText === '') {
      const buttons = config.recharge.presetFen.map((fen) => ({
        text: formatYuan(fen),
        callback_data: `recharge:${fen}`,
      }));
      await ctx.reply((await textsOf(ctx)).presetPrompt, { reply_markup: { inline_keyboard: [buttons] } });
      return;
    }
    const outcome = await useCases.createOrder(profile(ctx), amountText);
    await answerRejection(ctx, outcome);
  });

  bot.action(/^recharge:(\d{1,9})$/, async (ctx) => {
    await ctx.answerCbQuery();
    const outcome = await useCases.createOrder(profile(ctx), formatFen(Number(ctx.match[1])));
    await answerRejection(ctx, outcome);
  });

  bot.action(/^cancel:([A-Za-z0-9]{1,20})$/, async (ctx) => {
    const outcome = await useCases.cancelOrder(ctx.from.id, ctx.match[1]);
    // The cancellation notice itself goes out through the outbox.
    if (outcome.kind === 'cancelled') return void (await ctx.answerCbQuery());
    const refusal = outcome.kind === 'rejected' ? await tooManyCancels(ctx, outcome.retryAt) : undefined;
    await ctx.answerCbQuery(refusal ?? (await textsOf(ctx)).orderNotCancellable);
  });

  bot.command('cancel', async (ctx) => {
    const outcome = await useCases.cancelOrder(ctx.from.id);
    if (outcome.kind === 'nothing_to_cancel') await ctx.reply((await textsOf(ctx)).nothingToCancel);
    if (outcome.kind === 'rejected') await ctx.reply(await tooManyCancels(ctx, outcome.retryAt));
  });

  bot.command('balance', async (ctx) => {
    const texts = await textsOf(ctx);
    await ctx.reply(texts.balance(await useCases.getBalance(ctx.from.id)), { parse_mode: 'HTML' });
  });

  bot.command('orders', async (ctx) => {
    const orders = await useCases.listOrders(ctx.from.id);
    const texts = await textsOf(ctx);
    if (orders.length === 0) return void (await ctx.reply(texts.noOrders));
    const local = (at: Date) => formatLocalTime(at, config.timeZone);
    const list = orders.map((o) => ({ ...o, createdAt: local(o.createdAt), expiresAt: local(o.expiresAt) }));
    await ctx.reply(texts.ordersList(list), { parse_mode: 'HTML' });
  });

  // Any other button (stale or forged callback data) is answered and changes nothing.
  bot.on('callback_query', (ctx) => ctx.answerCbQuery());

  bot.catch(async (error, ctx) => {
    logger.error({ err: error, updateId: ctx.update.update_id }, 'bot handler failed');
    const texts = await textsOf(ctx).catch(() => textsFor(languageOf(ctx.from?.language_code)));
    await ctx.reply(texts.unknownError).catch(() => {});
  });

  async function switchLanguage(ctx: Context, language: Language) {
    await useCases.chooseLanguage(profile(ctx), language);
    await ctx.reply(textsFor(language).languageSet);
  }

  async function tooManyCancels(ctx: Context, retryAt: Date): Promise<string> {
    return (await textsOf(ctx)).tooManyCancels(
      config.recharge.limits.maxCancelled,
      formatLocalTime(retryAt, config.timeZone),
    );
  }

  async function answerRejection(ctx: Context, outcome: CreateOrderOutcome) {
    if (outcome.kind === 'created') return; // the order's photo goes out through the outbox
    const texts = await textsOf(ctx);
    switch (outcome.code) {
      case 'amount.invalid':
        return void (await ctx.reply(texts.amountInvalid(minFen, maxFen)));
      case 'order.too_many_pending':
        return void (await ctx.reply(texts.tooManyPending(config.recharge.limits.maxPending)));
      case 'order.too_many_recent':
        return void (await ctx.reply(
          texts.tooManyRecent(
            config.recharge.limits.maxCreated,
            formatLocalTime(outcome.retryAt, config.timeZone),
          ),
        ));
      case 'order.amounts_busy':
        return void (await ctx.reply(texts.amountsBusy));
      case 'mailbox.down':
        return void (await ctx.reply(texts.mailboxDownRefused));
      default:
        return assertNever(outcome);
    }
  }

  return bot;
}

function profile(ctx: Context): CustomerProfile {
  const from = ctx.from;
  if (!from || !ctx.chat) throw new Error('update without a sender');
  return {
    id: from.id,
    chatId: ctx.chat.id,
    username: from.username ?? null,
    firstName: from.first_name ?? null,
    languageCode: from.language_code ?? null,
  };
}
