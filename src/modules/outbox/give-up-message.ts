// A message that can never be delivered: marked failed, and the other admins told (customers' in moderation).
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';
import type { ClaimedMessage } from './outbox-delivery.repository.ts';

export async function giveUpMessage(
  deps: {
    transaction: Transaction;
    clock: Clock;
    logger: Logger;
    admins?: AdminAudience;
    floodPerMinute: number;
  },
  item: ClaimedMessage,
  error: string,
): Promise<void> {
  deps.logger.warn({ outboxId: item.id, chatId: item.chatId, error }, 'message given up');
  const admins = deps.admins;
  await deps.transaction(async (store) => {
    await store.outboxDelivery.markFailed(item.id, error);
    if (!admins) return;
    // Customers who blocked the bot, after a broadcast: a few notices a minute, then one summary. A
    // failure towards an admin is always told (to the others), and never throttled with these.
    const toCustomer = !admins.ids.includes(item.chatId);
    if (toCustomer) {
      const now = deps.clock.now();
      const admitted = await admitAdminNotice(store, {
        kind: 'delivery_failed',
        admins,
        floodPerMinute: deps.floodPerMinute,
        now,
      });
      if (!admitted) return;
    }
    const others = { ...admins, ids: admins.ids.filter((id) => id !== item.chatId) };
    await notifyAdmins(store, others, (texts) => texts.deliveryFailed(item.chatId, error));
  });
}
