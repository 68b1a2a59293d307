// Records a message that cannot be processed as failed, with the admins told: shared by ingestion (too large,
// undecodable, unparseable) and by the watcher's give-up path, whatever the source.

import type { Store, Transaction } from '../../shared/db/store.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';
import type { NewPayment } from '../payments/payments.repository.ts';
import type { IngestOutcome } from './record-notification.ts';

/**
 * Records a message as failed, runs the source's checkpoint (mail: the cursor moves past it) and tells the
 * admins (subject and an escaped snippet), in one transaction: the source moves on, and nothing disappears
 * silently.
 */
export async function recordFailedMessage(
  deps: { transaction: Transaction; admins: AdminAudience; onQueued: () => void },
  payment: Omit<NewPayment, 'authResult' | 'status'>,
  failure: { reason: string; snippet?: string | undefined; checkpoint: (store: Store) => Promise<void> },
): Promise<IngestOutcome> {
  const { reason, snippet = '' } = failure;
  const outcome = await deps.transaction(async (store) => {
    await failure.checkpoint(store);
    const row = await store.payments.insertOnce({
      ...payment,
      authResult: 'skipped',
      status: 'failed',
      reviewReason: reason,
    });
    if (!row) return { kind: 'duplicate' } as const;
    const facts = { paymentId: row.id, reason, subject: payment.message.subject ?? '', snippet };
    await notifyAdmins(store, deps.admins, (texts) => texts.failure(facts));
    return { kind: 'failed', paymentId: row.id, reason } as const;
  });
  if (outcome.kind !== 'duplicate') deps.onQueued();
  return outcome;
}
