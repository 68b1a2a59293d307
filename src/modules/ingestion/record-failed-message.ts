// Records a message that cannot be processed as failed, with the admins told: shared by ingestion (too large,
// undecodable, unparseable) and by the watcher's give-up path.

import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { inTransaction } from '../../shared/db/store.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';
import { withoutNul } from '../payments/notification/normalise-text.ts';
import type { NewPayment } from '../payments/payments.repository.ts';
import type { IncomingMessage } from './mail/examine-message.ts';
import type { IngestOutcome } from './mail/ingest-message.ts';

/** The envelope as the server reported it, fit to store: no NUL characters, a bounded subject. */
export function cleanEnvelope(envelope: IncomingMessage['envelope']): IncomingMessage['envelope'] {
  return {
    messageId: envelope.messageId === null ? null : withoutNul(envelope.messageId) || null,
    subject: withoutNul(envelope.subject).slice(0, 500),
    from: withoutNul(envelope.from),
  };
}

/**
 * Records a message as failed, moves the cursor past it and tells the admins (subject and an escaped
 * snippet), in one transaction: the watcher moves on, and nothing disappears silently.
 */
export async function recordFailedMessage(
  deps: { db: Db; config: Config; onQueued: () => void },
  message: IncomingMessage,
  payment: Omit<NewPayment, 'authResult' | 'status'>,
  reason: string,
  snippet = '',
): Promise<IngestOutcome> {
  const outcome = await inTransaction(deps.db, async (store) => {
    await store.cursors.advance(message.mailbox, message.uidValidity, message.uid);
    const row = await store.payments.insertOnce({
      ...payment,
      authResult: 'skipped',
      status: 'failed',
      reviewReason: reason,
    });
    if (!row) return { kind: 'duplicate' } as const;
    const facts = { paymentId: row.id, reason, subject: payment.subject ?? '', snippet };
    await notifyAdmins(store, adminAudienceOf(deps.config), (texts) => texts.failure(facts));
    return { kind: 'failed', paymentId: row.id, reason } as const;
  });
  if (outcome.kind !== 'duplicate') deps.onQueued();
  return outcome;
}
