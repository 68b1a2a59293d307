// /find, /refund, /adjust, /stats and /health: orders, balances and the service's figures.
import { parseSignedYuanToFen } from '../../../shared/money.ts';
import { assertNever } from '../../../shared/result.ts';
import type { AdminCommand } from './admin.ts';
import { type AdminKit, isId } from './admin-kit.ts';

export function accountCommands(command: AdminCommand, { useCases, say }: AdminKit) {
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

  /** `/adjust USER AMOUNT REASON`: USER is the customer's Telegram user id. */
  command('adjust', async (_ctx, admin, [user, amount, ...reason]) => {
    const amountFen = amount ? parseSignedYuanToFen(amount) : null;
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
}
