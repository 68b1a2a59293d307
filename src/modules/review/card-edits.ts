// Edits every admin's card of a decided payment: the facts stay, the buttons go, the decision is added.
import type { Store } from '../../shared/db/store.ts';
import { adminTextsByChat } from '../notify/admin-audience.ts';
import type { AdminTexts } from '../notify/admin-texts.ts';
import type { Language } from '../notify/customer-texts.ts';

export async function editCards(
  store: Store,
  args: { paymentId: number; adminLanguage: Language; decided: (texts: AdminTexts) => string },
): Promise<void> {
  const cards = await store.adminCards.cardsOf(args.paymentId);
  const chats = await adminTextsByChat(store, {
    ids: [...new Set(cards.map((card) => card.chatId))],
    defaultLanguage: args.adminLanguage,
  });
  const textsOf = new Map(chats.map(({ chatId, texts }) => [chatId, texts]));
  await store.outbox.enqueue(
    cards.flatMap((card) => {
      const texts = textsOf.get(card.chatId);
      if (!texts) return [];
      return [
        {
          chatId: card.chatId,
          message: {
            method: 'editMessageText',
            target: { outboxId: card.outboxId },
            text: `${card.text}\n\n${args.decided(texts)}`,
          },
        },
      ];
    }),
  );
}
