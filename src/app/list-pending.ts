// Use case: /pending — the review queue, oldest first, each payment as a card with its buttons.
import type { Db } from '../adapters/db/database.ts';
import { inTransaction } from '../adapters/db/store.ts';
import { adminTexts } from '../domain/admin-texts.ts';
import { type CardSettings, queueReviewCards } from './review-card.ts';

const SHOWN = 10;

export function createListPending(deps: { db: Db; settings: CardSettings; onQueued: () => void }) {
  return async function listPending(chatId: number): Promise<number> {
    const total = await inTransaction(deps.db, async (store) => {
      const queue = await store.decisions.reviewQueue(SHOWN);
      const header =
        queue.total === 0
          ? adminTexts.pendingEmpty
          : adminTexts.pendingHeader(queue.total, queue.oldest.length);
      await store.outbox.enqueue([{ chatId, message: { method: 'sendMessage', text: header } }]);
      for (const payment of queue.oldest) {
        await queueReviewCards(store, { paymentId: payment.id, chatIds: [chatId], settings: deps.settings });
      }
      return queue.total;
    });
    deps.onQueued();
    return total;
  };
}

export type ListPending = ReturnType<typeof createListPending>;
