// The admins' side of the bot: review card presses and admin commands. Non-admins pass through to the
// customer handlers, which know none of these commands; a non-admin's press on a card changes nothing.
import type { Context, Telegraf } from 'telegraf';
import type { AdjustBalance } from '../../app/adjust-balance.ts';
import type { Admin } from '../../app/admin-actor.ts';
import type { FindOrder } from '../../app/find-order.ts';
import type { GetStats } from '../../app/get-stats.ts';
import type { ListPending } from '../../app/list-pending.ts';
import type { Logger } from '../../app/ports.ts';
import type { QueueMessage } from '../../app/queue-message.ts';
import type { RefundOrder } from '../../app/refund-order.ts';
import type { ReviewDecision, ReviewOutcome, ReviewPayment } from '../../app/review-payment.ts';
import { parseCardPress } from '../../domain/admin-card.ts';
import { adminTexts } from '../../domain/admin-texts.ts';
import { parseSignedYuan } from '../../domain/report-figures.ts';
import { assertNever } from '../../domain/result.ts';

export interface AdminUseCases {
  reviewPayment: ReviewPayment;
  refundOrder: RefundOrder;
  adjustBalance: AdjustBalance;
  listPending: ListPending;
  getStats: GetStats;
  findOrder: FindOrder;
  healthText: () => Promise<string>;
  queueMessage: QueueMessage;
}

type Handler = (ctx: Context, admin: Admin, args: string[]) => Promise<void>;

export function registerAdminHandlers(
  bot: Telegraf,
  { adminIds, useCases, logger }: { adminIds: readonly number[]; useCases: AdminUseCases; logger: Logger },
) {
  const adminOf = (ctx: Context): Admin | null => {
    const from = ctx.from;
    if (!from || !adminIds.includes(from.id)) return null;
    return { id: from.id, name: from.username ? `@${from.username}` : from.first_name || String(from.id) };
  };
  const say = (admin: Admin, text: string) => useCases.queueMessage(admin.id, text);

  /** An admin command; anyone else falls through to the customer handlers (which do not know it). */
  const command = (name: string, handler: Handler) =>
    bot.command(name, async (ctx, next) => {
      const admin = adminOf(ctx);
      if (!admin) return next();
      logger.info({ adminId: admin.id, command: name }, 'admin command');
      await handler(ctx, admin, ctx.payload.trim().split(/\s+/).filter(Boolean));
    });

  bot.command(['start', 'help'], async (ctx, next) => {
    const admin = adminOf(ctx);
    if (admin) await say(admin, adminTexts.help);
    return next();
  });

  command('pending', async (_ctx, admin, [after]) => {
    if (after !== undefined && !isId(after)) return say(admin, adminTexts.usage.pending);
    await useCases.listPending(admin.id, after === undefined ? 0 : Number(after));
  });

  /** `/approve`, `/assign` and `/reject` are the card's buttons typed: the same use case decides. */
  const decideByCommand = async (admin: Admin, decision: ReviewDecision) => {
    const outcome = await useCases.reviewPayment(admin, decision);
    if (outcome.kind !== 'decided') return say(admin, explain(outcome));
    const { paymentId } = decision;
    await say(
      admin,
      outcome.decision === 'approve'
        ? adminTexts.assigned(paymentId, outcome.target ?? '')
        : adminTexts.rejected(paymentId),
    );
  };

  command('assign', async (_ctx, admin, [payment, target]) => {
    if (!payment || !isId(payment) || !target) return say(admin, adminTexts.usage.assign);
    await decideByCommand(admin, { kind: 'assign', paymentId: Number(payment), target });
  });

  command('approve', async (_ctx, admin, [payment, target, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, adminTexts.usage.approve);
    const paymentId = Number(payment);
    await decideByCommand(
      admin,
      target ? { kind: 'assign', paymentId, target } : { kind: 'approve', paymentId, orderNo: null },
    );
  });

  command('reject', async (_ctx, admin, [payment, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, adminTexts.usage.reject);
    await decideByCommand(admin, { kind: 'reject', paymentId: Number(payment) });
  });

  command('find', async (_ctx, admin, [orderNo]) => {
    if (!orderNo) return say(admin, adminTexts.usage.find);
    await say(admin, (await useCases.findOrder(orderNo)) ?? adminTexts.orderNotFound(orderNo));
  });

  command('refund', async (_ctx, admin, [orderNo, ...reason]) => {
    if (!orderNo) return say(admin, adminTexts.usage.refund);
    const outcome = await useCases.refundOrder(admin, orderNo, reason.join(' '));
    switch (outcome.kind) {
      case 'refunded':
        return; // the confirmation went out with the refund
      case 'order_not_found':
        return say(admin, adminTexts.orderNotFound(outcome.orderNo));
      case 'not_refundable':
        return say(admin, adminTexts.orderNotRefundable(outcome.orderNo, outcome.status));
      case 'insufficient_balance':
        return say(admin, adminTexts.insufficientBalance(outcome.customerId, outcome.balanceFen));
      default:
        return assertNever(outcome);
    }
  });

  command('adjust', async (_ctx, admin, [user, amount, ...reason]) => {
    const amountFen = amount ? parseSignedYuan(amount) : null;
    if (!user || !isId(user) || amountFen === null || reason.length === 0) {
      return say(admin, adminTexts.usage.adjust);
    }
    const customerId = Number(user);
    const outcome = await useCases.adjustBalance(admin, { customerId, amountFen, reason: reason.join(' ') });
    if (outcome.kind === 'customer_not_found') return say(admin, adminTexts.customerNotFound(user));
    if (outcome.kind === 'insufficient_balance')
      return say(admin, adminTexts.insufficientBalance(customerId, outcome.balanceFen));
  });

  command('stats', async (_ctx, admin) => {
    const { today, week } = await useCases.getStats();
    await say(admin, adminTexts.stats(today, week));
  });

  command('health', async (_ctx, admin) => {
    await say(admin, await useCases.healthText());
  });

  // Card buttons. Anything shaped like them is answered here and never reaches the customer handlers.
  bot.action(/^(approve|reject|refund):/, async (ctx) => {
    const admin = adminOf(ctx);
    if (!admin) {
      logger.warn({ userId: ctx.from?.id }, 'non-admin pressed an admin button');
      return void (await ctx.answerCbQuery(adminTexts.notAdmin, { show_alert: true }));
    }
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
    const press = parseCardPress(data);
    const message = ctx.callbackQuery.message;
    if (!press || !message)
      return void (await ctx.answerCbQuery(adminTexts.notThisCard, { show_alert: true }));
    const decision =
      press.decision === 'approve'
        ? ({ kind: 'approve', paymentId: press.paymentId, orderNo: press.orderNo } as const)
        : ({ kind: press.decision, paymentId: press.paymentId } as const);
    const outcome = await useCases.reviewPayment(admin, decision, {
      chatId: message.chat.id,
      messageId: message.message_id,
    });
    logger.info({ adminId: admin.id, paymentId: press.paymentId, outcome: outcome.kind }, 'card pressed');
    if (outcome.kind === 'decided') return void (await ctx.answerCbQuery(adminTexts.done));
    await ctx.answerCbQuery(toast(outcome), { show_alert: true });
    // What to do next needs more than a toast: a message with the /assign hint.
    if (outcome.kind === 'needs_target' || outcome.kind === 'order_not_creditable')
      await say(admin, explain(outcome));
  });
}

const isId = (text: string) => /^\d{1,15}$/.test(text);

function explain(outcome: Exclude<ReviewOutcome, { kind: 'decided' }>): string {
  switch (outcome.kind) {
    case 'not_this_card':
      return adminTexts.notThisCard;
    case 'payment_not_found':
      return adminTexts.paymentNotFound;
    case 'already_decided':
      return adminTexts.alreadyDecided(outcome.status, outcome.decidedBy);
    case 'needs_target':
      return adminTexts.needsTarget(outcome.paymentId);
    case 'order_not_found':
      return adminTexts.orderNotFound(outcome.orderNo);
    case 'order_not_creditable':
      return adminTexts.orderNotCreditable(outcome.orderNo, outcome.status);
    case 'customer_not_found':
      return adminTexts.customerNotFound(outcome.id);
    default:
      return assertNever(outcome);
  }
}

/** Toasts are plain text, at most 200 characters. */
function toast(outcome: Exclude<ReviewOutcome, { kind: 'decided' }>): string {
  return explain(outcome)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .slice(0, 200);
}
