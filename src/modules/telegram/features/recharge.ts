// `/recharge`: the preset amounts as buttons, then — when the payee has an Alipay and a WeChat code — the
// provider as buttons; the choice made creates the order (its photo goes out through the outbox).
import type { Composer, Context } from 'telegraf';
import { formatYuan, parseYuanToFen } from '../../../shared/money.ts';
import { type CreateOrderOutcome, isRechargeable } from '../../orders/create-order.ts';
import type { Provider } from '../../payments/notification/payment-notification.ts';
import type { CustomerUseCases, TextsOf } from './customer.ts';
import { answerRejection, type CustomerSettings } from './order-answers.ts';
import { profileOf } from './profile.ts';

/** `pay:<provider>:<fen>`: a provider button. Anything else (forged, stale) matches nothing here. */
const PROVIDER_PRESS = /^pay:(alipay|wechat):(\d{1,9})$/;

export function rechargeHandlers(
  composer: Composer<Context>,
  settings: CustomerSettings,
  useCases: CustomerUseCases,
  textsOf: TextsOf,
) {
  const create = async (ctx: Context, fen: number, provider: Provider | null) => {
    const outcome: CreateOrderOutcome = await useCases.createOrder(profileOf(ctx), fen, provider);
    // The customer's language is looked up only for a refusal: a created order's photo is already queued.
    if (outcome.kind !== 'created') await answerRejection(ctx, await textsOf(ctx), settings, outcome);
  };
  /** With one collection code the order is made at once; with two the customer picks one first. */
  const orderOrChoose = async (ctx: Context, fen: number) => {
    if (settings.providers.length === 0) return create(ctx, fen, null);
    const texts = await textsOf(ctx);
    if (!isRechargeable(fen, settings)) {
      return answerRejection(ctx, texts, settings, { kind: 'rejected', code: 'amount.invalid' });
    }
    const buttons = settings.providers.map((provider) => ({
      text: texts.providerButton(provider),
      callback_data: `pay:${provider}:${fen}`,
    }));
    await ctx.reply(texts.providerPrompt(fen), { reply_markup: { inline_keyboard: [buttons] } });
  };

  composer.command('recharge', async (ctx) => {
    const amountText = ctx.payload.trim();
    if (amountText === '') {
      const buttons = settings.presetFen.map((fen) => ({
        text: formatYuan(fen),
        callback_data: `recharge:${fen}`,
      }));
      await ctx.reply((await textsOf(ctx)).presetPrompt, { reply_markup: { inline_keyboard: [buttons] } });
      return;
    }
    const parsed = parseYuanToFen(amountText);
    if (parsed.ok) return orderOrChoose(ctx, parsed.fen);
    await answerRejection(ctx, await textsOf(ctx), settings, { kind: 'rejected', code: parsed.code });
  });
  composer.action(/^recharge:(\d{1,9})$/, async (ctx) => {
    await ctx.answerCbQuery();
    await orderOrChoose(ctx, Number(ctx.match[1]));
  });
  composer.action(PROVIDER_PRESS, async (ctx) => {
    await ctx.answerCbQuery();
    const provider = settings.providers.find((p) => p === ctx.match[1]);
    // A provider not offered (PAYEE_QR_URL_WECHAT unset): forged or stale, it changes nothing.
    if (provider) await create(ctx, Number(ctx.match[2]), provider);
  });
}
