// /renotify: the merchant side's admin commands — a paid shop order's notify sent again.
import { assertNever } from '../../../shared/result.ts';
import type { AdminCommand } from './admin.ts';
import type { AdminKit } from './admin-kit.ts';

export function merchantCommands(command: AdminCommand, { useCases, say }: AdminKit) {
  command('renotify', async (_ctx, admin, [tradeNo]) => {
    if (!tradeNo) return say(admin, (t) => t.renotifyUsage);
    const outcome = await useCases.renotify(tradeNo);
    switch (outcome.kind) {
      case 'queued':
        return say(admin, (t) => t.renotifyQueued(outcome.tradeNo));
      case 'order_not_found':
        return say(admin, (t) => t.orderNotFound(outcome.tradeNo));
      case 'not_shop_order':
        return say(admin, (t) => t.renotifyNotShop(outcome.tradeNo));
      case 'not_paid':
        return say(admin, (t) => t.renotifyNotPaid(outcome.tradeNo, outcome.status));
      default:
        return assertNever(outcome);
    }
  });
}
