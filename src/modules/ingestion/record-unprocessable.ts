// Use case: a message whose processing keeps throwing (a bug, a constraint) is recorded as failed and reported,
// so it never blocks the messages after it.
import type { Transaction } from '../../shared/db/store.ts';
import { createScrubber } from '../../shared/logger/scrub-secrets.ts';
import type { Clock } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { withoutNul } from '../payments/notification/normalise-text.ts';
import type { IncomingMessage } from './mail/examine-message.ts';
import type { IngestOutcome } from './mail/ingest-message.ts';
import { mailCursorCheckpoint } from './mail/mail-notification.ts';
import { cleanEnvelope, mailMessageKey, mailMessageRecord } from './mail/message-key.ts';
import { recordFailedMessage } from './record-failed-message.ts';

export function createRecordUnprocessable(deps: {
  transaction: Transaction;
  admins: AdminAudience;
  /** The configured secrets, scrubbed from the error text the admins are shown. */
  secrets: readonly string[];
  clock: Clock;
  onQueued: () => void;
}) {
  const scrub = createScrubber(deps.secrets);
  return function recordUnprocessable(message: IncomingMessage, error: unknown): Promise<IngestOutcome> {
    const envelope = cleanEnvelope(message.envelope);
    const messageKey = mailMessageKey(message);
    const cause = scrub(withoutNul(error instanceof Error ? error.message : String(error)));
    return recordFailedMessage(
      deps,
      {
        message: mailMessageRecord(message, messageKey, { sender: envelope.from, subject: envelope.subject }),
        processedAt: deps.clock.now(),
        parseKind: 'processing_error',
        detail: { error: cause.slice(0, 1000) },
      },
      { reason: `processing error: ${cause.slice(0, 200)}`, checkpoint: mailCursorCheckpoint(message) },
    );
  };
}
