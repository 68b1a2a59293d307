// The customers' side of the bot, one Composer: each handler parses its input, calls one use case and answers.
import { Composer, type Context } from 'telegraf';
import type { CustomerProfile } from '../../customers/telegram-customers.repository.ts';
import {
  formatLocalTime,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  languageOf,
  parseLanguage,
  textsFor,
} from '../../notify/customer-texts.ts';
import type { CancelOutcome } from '../../orders/cancel-order.ts';
import type { CreateOrder } from '../../orders/create-order.ts';
import type { ListOrders } from '../../orders/list-orders.ts';
import type { CustomerSettings } from './order-answers.ts';
import { profileOf } from './profile.ts';
import { rechargeHandlers } from './recharge.ts';

/** The use cases the customer handlers call; customers are named by their Telegram user id. */
export interface CustomerUseCases {
  createOrder: CreateOrder;
  cancelOrder: (userId: number, orderNo?: string) => Promise<CancelOutcome>;
  getBalance: (userId: number) => Promise<number>;
  listOrders: (userId: number) => ReturnType<ListOrders>;
  /** The language the user chose with /lang, or null. */
  chosenLanguage: (userId: number) => Promise<Language | null>;
  chooseLanguage: (profile: CustomerProfile, language: Language) => Promise<void>;
}

/** The user's texts: the language chosen with /lang, else their Telegram app's. */
export function customerTextsOf(useCases: Pick<CustomerUseCases, 'chosenLanguage'>) {
  return async (ctx: Context) =>
    textsFor(
      (ctx.from ? await useCases.chosenLanguage(ctx.from.id) : null) ?? languageOf(ctx.from?.language_code),
    );
}

export function customerFeature({
  settings,
  useCases,
}: {
  settings: CustomerSettings;
  useCases: CustomerUseCases;
}) {
  const composer = new Composer<Context>();
  const textsOf = customerTextsOf(useCases);
  const { minFen, maxFen } = settings;

  composer.start(async (ctx) => ctx.reply((await textsOf(ctx)).help(minFen, maxFen)));
  composer.help(async (ctx) => ctx.reply((await textsOf(ctx)).help(minFen, maxFen)));
  languageHandlers(composer, useCases, textsOf);
  rechargeHandlers(composer, settings, useCases, textsOf);
  accountHandlers(composer, settings, useCases, textsOf);
  // Any other button (stale or forged callback data) is answered and changes nothing.
  composer.on('callback_query', (ctx) => ctx.answerCbQuery());
  return composer;
}

export type TextsOf = ReturnType<typeof customerTextsOf>;

/** `/lang en` / `/lang 中文` switch at once; a bare `/lang` offers the languages as buttons. */
function languageHandlers(composer: Composer<Context>, useCases: CustomerUseCases, textsOf: TextsOf) {
  const switchLanguage = async (ctx: Context, language: Language) => {
    await useCases.chooseLanguage(profileOf(ctx), language);
    await ctx.reply(textsFor(language).languageSet);
  };
  composer.command('lang', async (ctx) => {
    const language = parseLanguage(ctx.payload);
    if (language) return void (await switchLanguage(ctx, language));
    const buttons = LANGUAGES.map((l) => ({ text: LANGUAGE_NAMES[l], callback_data: `lang:${l}` }));
    await ctx.reply((await textsOf(ctx)).languagePrompt, { reply_markup: { inline_keyboard: [buttons] } });
  });
  composer.action(/^lang:(zh|en)$/, async (ctx) => {
    await ctx.answerCbQuery();
    const language = parseLanguage(ctx.match[1]);
    if (language) await switchLanguage(ctx, language);
  });
}

function accountHandlers(
  composer: Composer<Context>,
  settings: CustomerSettings,
  useCases: CustomerUseCases,
  textsOf: TextsOf,
) {
  const tooManyCancels = async (ctx: Context, retryAt: Date) =>
    (await textsOf(ctx)).tooManyCancels(
      settings.limits.maxCancelled,
      formatLocalTime(retryAt, settings.timeZone),
    );
  composer.action(/^cancel:([A-Za-z0-9]{1,20})$/, async (ctx) => {
    const outcome = await useCases.cancelOrder(ctx.from.id, ctx.match[1]);
    // The cancellation notice itself goes out through the outbox.
    if (outcome.kind === 'cancelled') return void (await ctx.answerCbQuery());
    const refusal = outcome.kind === 'rejected' ? await tooManyCancels(ctx, outcome.retryAt) : undefined;
    await ctx.answerCbQuery(refusal ?? (await textsOf(ctx)).orderNotCancellable);
  });
  composer.command('cancel', async (ctx) => {
    const outcome = await useCases.cancelOrder(ctx.from.id);
    if (outcome.kind === 'nothing_to_cancel') await ctx.reply((await textsOf(ctx)).nothingToCancel);
    if (outcome.kind === 'rejected') await ctx.reply(await tooManyCancels(ctx, outcome.retryAt));
  });
  composer.command('balance', async (ctx) => {
    const texts = await textsOf(ctx);
    await ctx.reply(texts.balance(await useCases.getBalance(ctx.from.id)), { parse_mode: 'HTML' });
  });
  composer.command('orders', async (ctx) => {
    const orders = await useCases.listOrders(ctx.from.id);
    const texts = await textsOf(ctx);
    if (orders.length === 0) return void (await ctx.reply(texts.noOrders));
    const local = (at: Date) => formatLocalTime(at, settings.timeZone);
    const list = orders.map((o) => ({ ...o, createdAt: local(o.createdAt), expiresAt: local(o.expiresAt) }));
    await ctx.reply(texts.ordersList(list), { parse_mode: 'HTML' });
  });
}
