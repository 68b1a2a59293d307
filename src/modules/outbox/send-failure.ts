// How a sender reports a message it could not send: try again (perhaps after a delay), or give up.
import type { OutboxMessage } from './outbox-message.ts';

export type SendFailure =
  | { kind: 'retry'; afterMs?: number; error: string }
  | { kind: 'permanent'; error: string };

/**
 * Sends one message; throws an `OutboxSendError` saying whether trying again can help.
 * For an edit, `editMessageId` is the Telegram id of the message it changes.
 */
export type SendTelegramMessage = (
  chatId: number,
  message: OutboxMessage,
  editMessageId?: number,
) => Promise<{ messageId: number | null }>;

export class OutboxSendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.error);
  }
}
