// Use case: notifications from any source → each recorded once, then matched and credited, sent to review,
// held, or ignored, in ONE transaction that also runs each one's checkpoint.
//
// Drivers. A source is one file under modules/ingestion/ (mail/ is the first) that turns what arrives into
// `NotificationToRecord`s and hands them to the function created here, wired with one line in main.ts.
// It never touches payments, orders or the schema: its own facts go in `metadata`, its dedupe identity
// is (`source`, `sourceKey`), and `checkpoint` records how far it got (mail: the mailbox cursor) in the
// same commit, so a crash never loses a notification nor credits one twice. See test/support/test-source.ts.

import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { paidAtFrom } from '../payments/matching.ts';
import type { PaymentNotification } from '../payments/notification/parse-notification.ts';
import { notificationFingerprint } from '../payments/notification-fingerprint.ts';
import type { NewPayment } from '../payments/payments.repository.ts';
import { type PaymentToSettle, type SettledOutcome, settlePayments } from '../payments/settle-payments.ts';
import type { ReviewSettings } from '../review/review-settings.ts';

export type IngestOutcome =
  | SettledOutcome
  | { kind: 'ignored'; paymentId: number }
  /** Its authentication could not be completed yet (a DKIM key look-up failed): recorded, settled later. */
  | { kind: 'held'; paymentId: number }
  | { kind: 'failed'; paymentId: number; reason: string }
  | { kind: 'duplicate' };

/**
 * How the source authenticated the message: only `pass` credits; `temperror` means "not known yet" and holds
 * the payment for the source to decide later; anything else sends it to review as unauthenticated.
 */
export interface SourceAuthentication {
  verdict: string;
  detail: string;
}

export type Notification =
  | { kind: 'payment'; payment: PaymentNotification; auth: SourceAuthentication }
  /** A message that is no payment (`parseKind` says why), recorded so it is seen once. */
  | { kind: 'ignored'; parseKind: string };

export interface NotificationToRecord {
  /** The driver: 'mail'. */
  source: string;
  /** The message's identity within the source: a repeat of it is a duplicate. */
  sourceKey: string;
  /** What the source knows of the message besides its key; `metadata` is the source's own (mail: mailbox, UID). */
  message: {
    metadata?: Record<string, unknown>;
    sender?: string | null;
    subject?: string | null;
    receivedAt?: Date | null;
  };
  notification: Notification;
  /** Runs inside the recording transaction once the notification's outcome is known (a duplicate too). */
  checkpoint?: (store: Store, outcome: IngestOutcome) => Promise<void>;
}

export function createRecordNotification(deps: {
  transaction: Transaction;
  review: ReviewSettings;
  clock: Clock;
  onQueued: () => void;
}) {
  /** Records `batch` in order, as if each came on its own; returns each one's outcome, in order. */
  return async function recordNotifications(
    batch: readonly NotificationToRecord[],
  ): Promise<IngestOutcome[]> {
    if (batch.length === 0) return [];
    const outcomes = await deps.transaction(async (store) => {
      const now = deps.clock.now();
      const rows = batch.map((item) => toNewPayment(item, now));
      // Sent together, run in this order: the fingerprints are read before this batch's rows exist.
      const [earlier, inserted] = await Promise.all([
        store.payments.withFingerprints(rows.flatMap((row) => row.fingerprint ?? [])),
        store.payments.insertAll(rows),
      ]);
      const rowOf = new Map(inserted.map((row) => [dedupeKey(row), row]));
      const outcomes: IngestOutcome[] = [];
      const payments: Array<PaymentToSettle & { index: number }> = [];
      batch.forEach((item, index) => {
        const key = dedupeKey({
          ...item,
          messageKey: item.sourceKey,
          authResult: rows[index]?.authResult ?? '',
        });
        const row = rowOf.get(key);
        // Recorded before, or earlier in this batch: the row belongs to the first notification with its key.
        rowOf.delete(key);
        if (!row) outcomes[index] = { kind: 'duplicate' };
        else if (item.notification.kind === 'ignored')
          outcomes[index] = { kind: 'ignored', paymentId: row.id };
        else if (row.status === 'held') outcomes[index] = { kind: 'held', paymentId: row.id };
        else
          payments.push({ index, row, paidAt: paidAtFrom(row.notifiedAt, item.message.receivedAt ?? now) });
      });
      const settled = await settlePayments(store, { review: deps.review, now }, payments, earlier);
      settled.forEach((outcome, i) => {
        const index = payments[i]?.index;
        if (index !== undefined) outcomes[index] = outcome;
      });
      for (const [index, item] of batch.entries()) {
        const outcome = outcomes[index];
        if (outcome) await item.checkpoint?.(store, outcome);
      }
      return outcomes;
    });
    if (outcomes.some((outcome) => outcome.kind !== 'duplicate')) deps.onQueued();
    return outcomes;
  };
}

export type RecordNotifications = ReturnType<typeof createRecordNotification>;

function toNewPayment(item: NotificationToRecord, now: Date): NewPayment {
  const { source, sourceKey, message, notification } = item;
  const recorded = {
    message: {
      source,
      sourceKey,
      metadata: message.metadata ?? {},
      sender: message.sender ?? null,
      subject: message.subject ?? null,
      receivedAt: message.receivedAt ?? null,
    },
    processedAt: now,
  };
  if (notification.kind === 'ignored') {
    return { ...recorded, parseKind: notification.parseKind, authResult: 'skipped', status: 'ignored' };
  }
  const { payment, auth } = notification;
  return {
    ...recorded,
    parseKind: 'payment',
    parseRuleId: payment.ruleId,
    provider: payment.provider,
    amountFen: payment.amountFen,
    payer: payment.payer,
    memo: payment.memo,
    transactionId: payment.transactionId,
    notifiedAt: payment.time ? new Date(payment.time) : null,
    fingerprint: notificationFingerprint(payment),
    detail: payment.doubt ? { doubt: payment.doubt } : null,
    authResult: auth.verdict,
    authDetail: auth.detail,
    status: auth.verdict === 'temperror' ? 'held' : 'review',
  };
}

/** Message keys are unique per source among authenticated rows and apart among the others (`_by_trust`). */
function dedupeKey(row: { source: string; messageKey: string; authResult: string }): string {
  return `${row.source}:${row.authResult === 'pass'}:${row.messageKey}`;
}
