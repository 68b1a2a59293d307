// Use case: /pending — the review queue, oldest first, ten payments a time, each as a card with its buttons;
// `/pending ID` goes on after payment ID, so the whole queue can be walked however it changes meanwhile.
import type { Transaction } from '../../shared/db/store.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import type { Admin } from './admin-actor.ts';
import { queueReviewCards } from './review-card.ts';
import type { CardSettings } from './review-settings.ts';

export const PENDING_PAGE = 10;

export function createListPending(deps: {
  transaction: Transaction;
  settings: CardSettings;
  onQueued: () => void;
}) {
  return async function listPending(admin: Pick<Admin, 'id' | 'language'>, afterId = 0): Promise<number> {
    const texts = adminTextsFor(admin.language);
    const total = await deps.transaction(async (store) => {
      const queue = await store.decisions.reviewQueue(PENDING_PAGE, afterId);
      const header =
        queue.total === 0
          ? texts.pendingEmpty
          : texts.pendingHeader({
              total: queue.total,
              afterId,
              ids: queue.page.map((payment) => payment.id),
              remaining: queue.after,
            });
      await store.outbox.enqueue([{ chatId: admin.id, message: { method: 'sendMessage', text: header } }]);
      const asker = { ids: [admin.id], defaultLanguage: admin.language };
      for (const payment of queue.page) {
        await queueReviewCards(store, { paymentId: payment.id, admins: asker, settings: deps.settings });
      }
      return queue.total;
    });
    deps.onQueued();
    return total;
  };
}

export type ListPending = ReturnType<typeof createListPending>;
