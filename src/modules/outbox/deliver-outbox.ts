// Use case: deliver queued Telegram messages — in order per chat, retried with back-off, given up only when permanent.

import { nextDelay } from '../../shared/backoff.ts';
import { type BatchLimits, batchCalls } from '../../shared/batch-calls.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Scrub } from '../../shared/logger/scrub-secrets.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { giveUpMessage } from './give-up-message.ts';
import type { OutboxRepository } from './outbox.repository.ts';
import type { ClaimedMessage } from './outbox-delivery.repository.ts';
import { isEdit } from './outbox-message.ts';
import { OutboxSendError, type SendFailure, type SendTelegramMessage } from './send-failure.ts';

const RETRY = { baseMs: 1_000, maxMs: 5 * 60_000 };
const LEASE_MS = 60_000;
/** Requests to the Bot API in flight at once (Telegram's limit is on messages a second, not on these). */
const PARALLEL_SENDS = 32;

/** A mark never waits for another (see `markSent`). */
const MARKS: BatchLimits = { maxBatch: PARALLEL_SENDS, maxInFlight: Number.POSITIVE_INFINITY };

export function createDeliverOutbox(deps: {
  /** Single statements, outside a transaction. */
  store: Store;
  transaction: Transaction;
  clock: Clock;
  send: SendTelegramMessage;
  logger: Logger;
  /** Error texts are stored, logged and shown to admins: HTTP client errors quote the Bot API URL, token and all. */
  scrub: Scrub;
  /** Told (through the outbox) when a message to someone else is given up. */
  admins?: AdminAudience;
  /** ADMIN_FLOOD_PER_MINUTE: given-up customer messages told one by one per minute, then summarised. */
  floodPerMinute: number;
  random?: () => number;
}) {
  const outbox = deps.store.outboxDelivery;
  const random = deps.random ?? Math.random;
  /**
   * Each message is marked sent the moment Telegram answers (kill -9 after that answer and before the mark
   * is what can send it twice, so the gap is kept to one write); answers that come together share the write.
   */
  const markSent = batchCalls<{ id: number; telegramMessageId: number | null }, void>(async (sent) => {
    await outbox.markSent(sent, deps.clock.now());
    return sent.map(() => ({ status: 'fulfilled', value: undefined }));
  }, MARKS);

  /** Sends the message and marks it sent, or schedules its retry, or gives it up. */
  async function handle(item: ClaimedMessage): Promise<void> {
    let telegramMessageId: number | null;
    try {
      ({ messageId: telegramMessageId } = await deliver(deps.store.outbox, deps.send, item));
    } catch (error) {
      const raw: SendFailure =
        error instanceof OutboxSendError ? error.failure : { kind: 'retry', error: String(error) };
      const failure = { ...raw, error: deps.scrub(raw.error) };
      if (failure.kind === 'permanent') {
        await giveUpMessage(deps, item, failure.error);
      } else {
        const delay = Math.max(failure.afterMs ?? 0, nextDelay(item.attempts + 1, RETRY, random()));
        deps.logger.info(
          { outboxId: item.id, delayMs: delay, error: failure.error },
          'message will be retried',
        );
        await outbox.markRetry(item.id, new Date(deps.clock.now().getTime() + delay), failure.error);
      }
      return;
    }
    await markSent({ id: item.id, telegramMessageId });
  }

  /**
   * Delivers up to `limit` messages due now (`only` those, when given); returns the ids it handled.
   * A claim holds at most one message per chat (the oldest), so the claimed messages go out side by side
   * without breaking any chat's order. `pace` is awaited with the number claimed before any is sent.
   */
  return async function deliverDue(
    what: { limit: number } | { only: readonly number[] },
    pace?: (claimed: number) => Promise<void>,
  ): Promise<number[]> {
    const only = 'only' in what ? what.only : undefined;
    const limit = 'only' in what ? what.only.length : what.limit;
    const claimed = await outbox.claimDue(deps.clock.now(), limit, LEASE_MS, only);
    if (claimed.length > 0 && pace) await pace(claimed.length);
    let next = 0;
    const sender = async () => {
      for (let item = claimed[next++]; item; item = claimed[next++]) await handle(item);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_SENDS, claimed.length) }, sender));
    return claimed.map((item) => item.id);
  };
}

export type DeliverOutbox = ReturnType<typeof createDeliverOutbox>;

/** Sends the message, or the edit once the message it changes has a Telegram id. */
async function deliver(
  queue: OutboxRepository,
  send: SendTelegramMessage,
  item: ClaimedMessage,
): Promise<{ messageId: number | null }> {
  if (!isEdit(item.message)) return send(item.chatId, item.message);
  // Messages of a chat go out in order, so the target was sent (or given up) before its edit is claimed.
  const target = await queue.sentMessageOf(item.message.target.outboxId);
  if (target?.telegramMessageId == null) {
    throw new OutboxSendError(
      target?.status === 'pending'
        ? { kind: 'retry', error: 'the message to edit is not sent yet' }
        : { kind: 'permanent', error: 'the message to edit was never delivered' },
    );
  }
  return send(item.chatId, item.message, target.telegramMessageId);
}
