// Use case: deliver queued Telegram messages — in order per chat, retried with back-off, given up only when permanent.
import type { Db } from '../adapters/db/database.ts';
import { createOutboxRepository } from '../adapters/db/outbox.repository.ts';
import { nextDelay } from '../domain/backoff.ts';
import type { OutboxMessage } from '../domain/outbox-message.ts';
import type { Clock, Logger } from './ports.ts';

export type SendFailure =
  | { kind: 'retry'; afterMs?: number; error: string }
  | { kind: 'permanent'; error: string };

/** Sends one message; throws an `OutboxSendError` saying whether trying again can help. */
export type SendTelegramMessage = (
  chatId: number,
  message: OutboxMessage,
) => Promise<{ messageId: number | null }>;

export class OutboxSendError extends Error {
  constructor(readonly failure: SendFailure) {
    super(failure.error);
  }
}

const RETRY = { baseMs: 1_000, maxMs: 5 * 60_000 };
const LEASE_MS = 60_000;
const BATCH = 20;

export function createDeliverOutbox(deps: {
  db: Db;
  clock: Clock;
  send: SendTelegramMessage;
  logger: Logger;
  random?: () => number;
}) {
  const outbox = createOutboxRepository({ db: deps.db });
  const random = deps.random ?? Math.random;

  /** Delivers what is due now; returns how many messages it handled. */
  return async function deliverDue(): Promise<number> {
    const claimed = await outbox.claimDue(deps.clock.now(), BATCH, LEASE_MS);
    for (const item of claimed) {
      try {
        const { messageId } = await deps.send(item.chatId, item.message);
        await outbox.markSent(item.id, deps.clock.now(), messageId);
      } catch (error) {
        const failure: SendFailure =
          error instanceof OutboxSendError ? error.failure : { kind: 'retry', error: String(error) };
        if (failure.kind === 'permanent') {
          deps.logger.warn(
            { outboxId: item.id, chatId: item.chatId, error: failure.error },
            'message given up',
          );
          await outbox.markFailed(item.id, failure.error);
        } else {
          const delay = Math.max(failure.afterMs ?? 0, nextDelay(item.attempts + 1, RETRY, random()));
          deps.logger.info(
            { outboxId: item.id, delayMs: delay, error: failure.error },
            'message will be retried',
          );
          await outbox.markRetry(item.id, new Date(deps.clock.now().getTime() + delay), failure.error);
        }
      }
    }
    return claimed.length;
  };
}

export type DeliverOutbox = ReturnType<typeof createDeliverOutbox>;
