// What the bot answers when an order is refused; a created order's photo goes out through the outbox.
import type { Context } from 'telegraf';
import { assertNever } from '../../../shared/result.ts';
import { formatLocalTime, type textsFor } from '../../notify/customer-texts.ts';
import type { CreateOrderOutcome } from '../../orders/create-order.ts';
import type { OrderLimits } from '../../orders/order-limits.ts';
import type { Provider } from '../../payments/notification/payment-notification.ts';

/** The settings the customer handlers show (RECHARGE_*, the order limits, TZ). */
export interface CustomerSettings {
  minFen: number;
  maxFen: number;
  presetFen: readonly number[];
  limits: OrderLimits;
  timeZone: string;
  /** The collection codes `/recharge` offers as buttons; empty: one code, no choice (PAYEE_QR_URL_WECHAT unset). */
  providers: readonly Provider[];
}

export async function answerRejection(
  ctx: Context,
  texts: ReturnType<typeof textsFor>,
  settings: CustomerSettings,
  outcome: CreateOrderOutcome,
): Promise<void> {
  if (outcome.kind === 'created') return;
  switch (outcome.code) {
    case 'amount.invalid':
      return void (await ctx.reply(texts.amountInvalid(settings.minFen, settings.maxFen)));
    case 'order.too_many_pending':
      return void (await ctx.reply(texts.tooManyPending(settings.limits.maxPending)));
    case 'order.too_many_recent':
      return void (await ctx.reply(
        texts.tooManyRecent(settings.limits.maxCreated, formatLocalTime(outcome.retryAt, settings.timeZone)),
      ));
    case 'order.amounts_busy':
      return void (await ctx.reply(texts.amountsBusy));
    case 'mailbox.down':
      return void (await ctx.reply(texts.mailboxDownRefused));
    default:
      return assertNever(outcome);
  }
}
