// Queues one HTML message to every admin, in the caller's transaction.
import type { Store } from '../adapters/db/store.ts';
import type { InlineButton } from '../domain/outbox-message.ts';

export async function notifyAdmins(
  store: Store,
  adminIds: readonly number[],
  text: string,
  buttons?: InlineButton[][],
): Promise<void> {
  await store.outbox.enqueue(
    adminIds.map((chatId) => ({
      chatId,
      message: { method: 'sendMessage', text, ...(buttons ? { buttons } : {}) },
    })),
  );
}
