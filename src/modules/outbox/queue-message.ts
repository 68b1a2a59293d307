// Use case: queue one message (an admin command's answer) through the outbox, like every other message.
import type { OutboxRepository } from './outbox.repository.ts';
import type { InlineButton } from './outbox-message.ts';

export function createQueueMessage({ outbox, ...deps }: { outbox: OutboxRepository; onQueued: () => void }) {
  return async function queueMessage(chatId: number, text: string, buttons?: InlineButton[][]) {
    await outbox.enqueue([
      { chatId, message: { method: 'sendMessage', text, ...(buttons ? { buttons } : {}) } },
    ]);
    deps.onQueued();
  };
}

export type QueueMessage = ReturnType<typeof createQueueMessage>;
