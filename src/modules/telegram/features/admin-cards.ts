// An admin pressing a review card's button: the same use case as the typed commands decides.
import type { Context } from 'telegraf';
import type { Logger } from '../../../shared/ports.ts';
import { parseCardPress } from '../../review/admin-card.ts';
import type { AdminKit } from './admin-kit.ts';
import { explain, toast } from './admin-replies.ts';

/** Anything shaped like a card's button. */
export const CARD_PRESS = /^(approve|reject|refund):/;

export function cardPress({ useCases, adminOf, textsOf, say }: AdminKit, logger: Logger) {
  return async (ctx: Context) => {
    const admin = await adminOf(ctx);
    const texts = textsOf(admin);
    const query = ctx.callbackQuery;
    const data = query && 'data' in query ? query.data : '';
    const press = parseCardPress(data);
    const message = query?.message;
    if (!press || !message) return void (await ctx.answerCbQuery(texts.notThisCard, { show_alert: true }));
    const decision =
      press.decision === 'approve'
        ? ({ kind: 'approve', paymentId: press.paymentId, orderNo: press.orderNo } as const)
        : ({ kind: press.decision, paymentId: press.paymentId } as const);
    const outcome = await useCases.reviewPayment(admin, decision, {
      chatId: message.chat.id,
      messageId: message.message_id,
    });
    logger.info({ adminId: admin.id, paymentId: press.paymentId, outcome: outcome.kind }, 'card pressed');
    if (outcome.kind === 'decided') return void (await ctx.answerCbQuery(texts.done));
    await ctx.answerCbQuery(toast(texts, outcome), { show_alert: true });
    // What to do next needs more than a toast: a message with the /assign hint.
    if (outcome.kind === 'needs_target' || outcome.kind === 'order_not_creditable')
      await say(admin, (t) => explain(t, outcome));
  };
}
