// The admins' side of the bot: review card presses and admin commands. Non-admins pass through to the
// customer handlers, which know none of these commands; a non-admin's press on a card changes nothing.
import type { Context, Telegraf } from 'telegraf';
import type { Logger } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import type { AdjustBalance } from '../../customers/adjust-balance.ts';
import { adminLanguage, adminTextsFor } from '../../notify/admin-language.ts';
import type { AdminTexts } from '../../notify/admin-texts.ts';
import type { Language } from '../../notify/customer-texts.ts';
import type { FindOrder } from '../../orders/find-order.ts';
import type { RefundOrder } from '../../orders/refund-order.ts';
import type { QueueMessage } from '../../outbox/queue-message.ts';
import type { GetStats } from '../../reports/get-stats.ts';
import { parseSignedYuan } from '../../reports/report-figures.ts';
import type { Admin } from '../../review/admin-actor.ts';
import { parseCardPress } from '../../review/admin-card.ts';
import type { ListPending } from '../../review/list-pending.ts';
import type { ReviewDecision, ReviewOutcome, ReviewPayment } from '../../review/review-payment.ts';

export interface AdminUseCases {
  reviewPayment: ReviewPayment;
  refundOrder: RefundOrder;
  adjustBalance: AdjustBalance;
  listPending: ListPending;
  getStats: GetStats;
  findOrder: FindOrder;
  healthText: (language: Language) => Promise<string>;
  queueMessage: QueueMessage;
  /** The language the user chose with /lang, or null. */
  chosenLanguage: (userId: number) => Promise<Language | null>;
}

type Handler = (ctx: Context, admin: Admin, args: string[]) => Promise<void>;

export function registerAdminHandlers(
  bot: Telegraf,
  {
    adminIds,
    defaultLanguage,
    useCases,
    logger,
  }: { adminIds: readonly number[]; defaultLanguage: Language; useCases: AdminUseCases; logger: Logger },
) {
  const adminOf = async (ctx: Context): Promise<Admin | null> => {
    const from = ctx.from;
    if (!from || !adminIds.includes(from.id)) return null;
    return {
      id: from.id,
      name: from.username ? `@${from.username}` : from.first_name || String(from.id),
      language: adminLanguage(await useCases.chosenLanguage(from.id), defaultLanguage),
    };
  };
  const textsOf = (admin: Admin): AdminTexts => adminTextsFor(admin.language);
  /** Queues the admin's answer, written in their language. */
  const say = (admin: Admin, text: (texts: AdminTexts) => string) =>
    useCases.queueMessage(admin.id, text(textsOf(admin)));

  /** An admin command; anyone else falls through to the customer handlers (which do not know it). */
  const command = (name: string, handler: Handler) =>
    bot.command(name, async (ctx, next) => {
      const admin = await adminOf(ctx);
      if (!admin) return next();
      logger.info({ adminId: admin.id, command: name }, 'admin command');
      await handler(ctx, admin, ctx.payload.trim().split(/\s+/).filter(Boolean));
    });

  // An admin's /help lists the admin commands, then the customer help follows (admins may recharge too).
  bot.command(['start', 'help'], async (ctx, next) => {
    const admin = await adminOf(ctx);
    if (admin) await say(admin, (t) => t.help);
    return next();
  });

  command('pending', async (_ctx, admin, [after]) => {
    if (after !== undefined && !isId(after)) return say(admin, (t) => t.usage.pending);
    await useCases.listPending(admin, after === undefined ? 0 : Number(after));
  });

  /** `/approve`, `/assign` and `/reject` are the card's buttons typed: the same use case decides. */
  const decideByCommand = async (admin: Admin, decision: ReviewDecision) => {
    const outcome = await useCases.reviewPayment(admin, decision);
    if (outcome.kind !== 'decided') return say(admin, (t) => explain(t, outcome));
    const { paymentId } = decision;
    await say(admin, (t) =>
      outcome.decision === 'approve' ? t.assigned(paymentId, outcome.target ?? '') : t.rejected(paymentId),
    );
  };

  command('assign', async (_ctx, admin, [payment, target]) => {
    if (!payment || !isId(payment) || !target) return say(admin, (t) => t.usage.assign);
    await decideByCommand(admin, { kind: 'assign', paymentId: Number(payment), target });
  });

  command('approve', async (_ctx, admin, [payment, target, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, (t) => t.usage.approve);
    const paymentId = Number(payment);
    await decideByCommand(
      admin,
      target ? { kind: 'assign', paymentId, target } : { kind: 'approve', paymentId, orderNo: null },
    );
  });

  command('reject', async (_ctx, admin, [payment, ...rest]) => {
    if (!payment || !isId(payment) || rest.length > 0) return say(admin, (t) => t.usage.reject);
    await decideByCommand(admin, { kind: 'reject', paymentId: Number(payment) });
  });

  command('find', async (_ctx, admin, [orderNo]) => {
    if (!orderNo) return say(admin, (t) => t.usage.find);
    const found = await useCases.findOrder(orderNo, admin.language);
    await say(admin, (t) => found ?? t.orderNotFound(orderNo));
  });

  command('refund', async (_ctx, admin, [orderNo, ...reason]) => {
    if (!orderNo) return say(admin, (t) => t.usage.refund);
    const outcome = await useCases.refundOrder(admin, orderNo, reason.join(' '));
    switch (outcome.kind) {
      case 'refunded':
        return; // the confirmation went out with the refund
      case 'order_not_found':
        return say(admin, (t) => t.orderNotFound(outcome.orderNo));
      case 'not_refundable':
        return say(admin, (t) => t.orderNotRefundable(outcome.orderNo, outcome.status));
      case 'insufficient_balance':
        return say(admin, (t) => t.insufficientBalance(outcome.customerId, outcome.balanceFen));
      default:
        return assertNever(outcome);
    }
  });

  command('adjust', async (_ctx, admin, [user, amount, ...reason]) => {
    const amountFen = amount ? parseSignedYuan(amount) : null;
    if (!user || !isId(user) || amountFen === null || reason.length === 0) {
      return say(admin, (t) => t.usage.adjust);
    }
    const userId = Number(user);
    const outcome = await useCases.adjustBalance(admin, { userId, amountFen, reason: reason.join(' ') });
    if (outcome.kind === 'customer_not_found') return say(admin, (t) => t.customerNotFound(user));
    if (outcome.kind === 'insufficient_balance')
      return say(admin, (t) => t.insufficientBalance(userId, outcome.balanceFen));
  });

  command('stats', async (_ctx, admin) => {
    const { today, week } = await useCases.getStats();
    await say(admin, (t) => t.stats(today, week));
  });

  command('health', async (_ctx, admin) => {
    const text = await useCases.healthText(admin.language);
    await say(admin, () => text);
  });

  // Card buttons. Anything shaped like them is answered here and never reaches the customer handlers.
  bot.action(/^(approve|reject|refund):/, async (ctx) => {
    const admin = await adminOf(ctx);
    if (!admin) {
      logger.warn({ userId: ctx.from?.id }, 'non-admin pressed an admin button');
      return void (await ctx.answerCbQuery(adminTextsFor(defaultLanguage).notAdmin, { show_alert: true }));
    }
    const texts = textsOf(admin);
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
    const press = parseCardPress(data);
    const message = ctx.callbackQuery.message;
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
  });
}

const isId = (text: string) => /^\d{1,15}$/.test(text);

function explain(texts: AdminTexts, outcome: Exclude<ReviewOutcome, { kind: 'decided' }>): string {
  switch (outcome.kind) {
    case 'not_this_card':
      return texts.notThisCard;
    case 'payment_not_found':
      return texts.paymentNotFound;
    case 'already_decided':
      return texts.alreadyDecided(outcome.status, outcome.decidedBy);
    case 'needs_target':
      return texts.needsTarget(outcome.paymentId);
    case 'order_not_found':
      return texts.orderNotFound(outcome.orderNo);
    case 'order_not_creditable':
      return texts.orderNotCreditable(outcome.orderNo, outcome.status);
    case 'customer_not_found':
      return texts.customerNotFound(outcome.id);
    default:
      return assertNever(outcome);
  }
}

/** Toasts are plain text, at most 200 characters. */
function toast(texts: AdminTexts, outcome: Exclude<ReviewOutcome, { kind: 'decided' }>): string {
  return explain(texts, outcome)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .slice(0, 200);
}
