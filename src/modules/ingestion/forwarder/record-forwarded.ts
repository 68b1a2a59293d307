// Records one genuine forwarder request through the shared pipeline: a payment or a message to ignore through
// record-notification, a notification no rule reads as failed (the admins told) — each with the request taken
// in the same transaction.
import type { Store, Transaction } from '../../../shared/db/store.ts';
import type { AdminAudience } from '../../notify/admin-audience.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { recordFailedMessage } from '../record-failed-message.ts';
import type { IngestOutcome, Notification, RecordNotifications } from '../record-notification.ts';
import { type ForwardedReading, readForwarded } from './forwarder-notification.ts';
import type { ForwarderRequest } from './forwarder-request.ts';

export const FORWARDER_SOURCE = 'forwarder';

export async function recordForwarded(
  deps: {
    rules: readonly NotificationRule[];
    transaction: Transaction;
    recordNotifications: RecordNotifications;
    admins: AdminAudience;
    onQueued: () => void;
  },
  at: { request: ForwarderRequest; receivedAt: Date; take: (store: Store) => Promise<void> },
): Promise<IngestOutcome> {
  const { request, receivedAt, take } = at;
  const reading = readForwarded(request, deps.rules);
  // The request's timestamp is its identity: the pair (timestamp, sign) is taken once.
  const key = { source: FORWARDER_SOURCE, sourceKey: request.timestamp };
  const message = {
    metadata: { timestamp: request.timestamp, shape: request.shape },
    sender: request.from,
    subject: request.from,
    receivedAt,
  };
  if (reading.kind === 'unparsed') {
    // A genuine notification no rule reads is a rule to fix: recorded as failed, the admins told.
    const failed = {
      message: { ...key, ...message },
      processedAt: receivedAt,
      parseKind: 'unparsed',
      detail: { reason: reading.reason },
    };
    const snippet = request.content.slice(0, 300);
    return recordFailedMessage(deps, failed, { reason: 'unparsed', snippet, checkpoint: take });
  }
  const [outcome] = await deps.recordNotifications([
    { ...key, message, notification: notificationOf(reading), checkpoint: (store) => take(store) },
  ]);
  if (!outcome) throw new Error('record-notification returned no outcome');
  return outcome;
}

function notificationOf(reading: Exclude<ForwardedReading, { kind: 'unparsed' }>): Notification {
  if (reading.kind === 'ignored') return reading;
  // The sign proves the request came from the phone holding the secret; HTTPS keeps its content intact.
  return {
    kind: 'payment',
    payment: reading.payment,
    auth: { verdict: 'pass', detail: 'forwarder webhook sign' },
  };
}
