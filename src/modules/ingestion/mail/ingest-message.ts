// The mail driver's use case: messages from the mailbox → examined, then handed to record-notification (or
// recorded as failed), each recorded once and credited, sent to review, held, or ignored.

import type { Config } from '../../../shared/config/config.ts';
import type { Transaction } from '../../../shared/db/store.ts';
import { isTransientDatabaseError } from '../../../shared/db/transient-error.ts';
import type { Clock, Logger } from '../../../shared/ports.ts';
import type { ReviewSettings } from '../../review/review-settings.ts';
import { recordFailedMessage } from '../record-failed-message.ts';
import { createRecordNotification, type IngestOutcome } from '../record-notification.ts';
import type { AuthenticateMail } from './authenticate-mail.ts';
import { createExamineMessages, type IncomingMessage } from './examine-message.ts';
import { mailCursorCheckpoint, mailNotifications, type RecordableMail } from './mail-notification.ts';
import type { ReadMail } from './read-mail.ts';

export type { IngestOutcome } from '../record-notification.ts';

export function createIngestMessages(deps: {
  transaction: Transaction;
  review: ReviewSettings;
  mail: Config['mail'];
  clock: Clock;
  readMail: ReadMail;
  authenticateMail: AuthenticateMail;
  logger: Logger;
  onQueued: () => void;
  /** Each mail that is no payment, recorded for the first time (a statement mail may be one). */
  onNonPaymentMail?: (raw: Buffer, sender: string) => void;
}) {
  const examine = createExamineMessages(deps);
  const recordNotifications = createRecordNotification(deps);
  const recordRun = async (run: ReadonlyArray<{ message: IncomingMessage; examined: RecordableMail }>) => {
    const outcomes = await recordNotifications(mailNotifications(run, deps.clock));
    run.forEach(({ message, examined }, i) => {
      const firstTime = outcomes[i]?.kind === 'ignored';
      if (firstTime && examined.kind === 'ignored' && examined.parseKind === 'not_payment' && message.raw)
        deps.onNonPaymentMail?.(message.raw, examined.described.message.sender ?? '');
    });
    return outcomes;
  };

  /**
   * Ingests the first of `messages` and as many of those after it as can share its transaction (a catch-up
   * records a whole fetched batch at once); returns their outcomes, in order. Throws when the first
   * cannot be ingested, as a single message would.
   */
  return async function ingestMessages(messages: readonly IncomingMessage[]): Promise<IngestOutcome[]> {
    const { examined, error } = await examine(messages);
    const run: Array<{ message: IncomingMessage; examined: RecordableMail }> = [];
    for (const [i, item] of examined.entries()) {
      const message = messages[i];
      if (!message) break;
      if (item.kind !== 'failure') {
        run.push({ message, examined: item });
        continue;
      }
      if (run.length > 0) break; // A failure is recorded on its own, by the next call.
      const { reason, snippet } = item;
      const checkpoint = mailCursorCheckpoint(message);
      return [
        await recordFailedMessage({ ...deps, admins: deps.review.admins }, item.payment, {
          reason,
          snippet,
          checkpoint,
        }),
      ];
    }
    // The run ends before a message whose examination threw; the next call meets the error on its own.
    if (run.length === 0) throw error ?? new Error('no message to ingest');
    try {
      return await recordRun(run);
    } catch (error) {
      if (run.length === 1 || isTransientIngestError(error)) throw error;
      // One message spoils the run: record one at a time, so only that message is retried and given up.
      deps.logger.warn({ err: error, messages: run.length }, 'recording a run failed; recording one by one');
      return recordRun(run.slice(0, 1));
    }
  };
}

export type IngestMessages = ReturnType<typeof createIngestMessages>;

/**
 * Errors that go away by themselves (the database away): retried, never given up on. A DKIM key that cannot be
 * looked up is not one of them: that payment is held apart, so it never holds the mailbox back.
 */
export function isTransientIngestError(error: unknown): boolean {
  return isTransientDatabaseError(error);
}
