// The mail driver's hand-over to record-notification: an examined message as a source-neutral notification,
// with the checkpoint that moves the mailbox cursor past it — and keeps the raw mail of a payment held for
// another DKIM try, which only mail knows how to retry.
import type { Store } from '../../../shared/db/store.ts';
import type { Clock } from '../../../shared/ports.ts';
import type { NotificationToRecord } from '../record-notification.ts';
import type { Examined, IncomingMessage } from './examine-message.ts';

export type RecordableMail = Extract<Examined, { kind: 'payment' | 'ignored' }>;

/** `run`: messages of one mailbox in UID order; the last one's checkpoint moves the cursor past them all. */
export function mailNotifications(
  run: ReadonlyArray<{ message: IncomingMessage; examined: RecordableMail }>,
  clock: Clock,
): NotificationToRecord[] {
  return run.map(({ message, examined }, index) => {
    const { described } = examined;
    const last = index === run.length - 1;
    return {
      source: described.message.source,
      sourceKey: described.message.sourceKey,
      message: {
        metadata: described.message.metadata ?? {},
        sender: described.message.sender ?? null,
        subject: described.message.subject ?? null,
        receivedAt: message.receivedAt,
      },
      notification:
        examined.kind === 'ignored'
          ? { kind: 'ignored', parseKind: examined.parseKind }
          : { kind: 'payment', payment: examined.payment, auth: examined.auth },
      async checkpoint(store, outcome) {
        if (outcome.kind === 'held' && examined.kind === 'payment' && message.raw) {
          // The retrier's back-off begins with its first try, which is due at once.
          const now = clock.now();
          const hold = { raw: message.raw, identity: examined.identity, heldSince: now, nextAttemptAt: now };
          await store.authHolds.insertAll([{ paymentId: outcome.paymentId, ...hold }]);
        }
        if (last) await mailCursorCheckpoint(message)(store);
      },
    };
  });
}

/** Mail's checkpoint: the mailbox cursor moves past the message, in the transaction that recorded it. */
export function mailCursorCheckpoint(message: IncomingMessage): (store: Store) => Promise<void> {
  return (store) => store.cursors.advance(message.mailbox, message.uidValidity, message.uid);
}
