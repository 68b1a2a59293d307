// Queues one HTML message to every admin, each in the admin's language, in the caller's transaction.
import type { Store } from '../../shared/db/store.ts';
import { type AdminAudience, adminTextsByChat } from './admin-audience.ts';
import type { AdminTexts } from './admin-texts.ts';

export async function notifyAdmins(
  store: Store,
  audience: AdminAudience,
  render: (texts: AdminTexts) => string,
): Promise<void> {
  const chats = await adminTextsByChat(store, audience);
  await store.outbox.enqueue(
    chats.map(({ chatId, texts }) => ({ chatId, message: { method: 'sendMessage', text: render(texts) } })),
  );
}
