// Records a run of examined messages in one transaction that also moves the cursor past them: payments
// matched and credited, held for review, or — when their DKIM key could not be looked up — held for another try.

import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { inTransaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { paidAtFrom } from '../payments/matching.ts';
import { notificationFingerprint } from '../payments/notification-fingerprint.ts';
import type { NewPayment } from '../payments/payments.repository.ts';
import { type PaymentToSettle, settlePayments } from '../payments/settle-payments.ts';
import { reviewSettingsOf } from '../review/review-settings.ts';
import type { NewAuthHold } from './mail/auth-holds.repository.ts';
import type { Examined, IncomingMessage } from './mail/examine-message.ts';
import type { IngestOutcome } from './mail/ingest-message.ts';

/** A message examined as a payment, or as mail to ignore; failures are recorded on their own. */
export interface RecordableMessage {
  message: IncomingMessage;
  examined: Extract<Examined, { kind: 'payment' | 'ignored' }>;
}

export function createRecordPayments(deps: { db: Db; config: Config; clock: Clock; onQueued: () => void }) {
  const { config, clock } = deps;

  /** Records `run` (messages of one mailbox, in UID order); returns each message's outcome. */
  return async function recordPayments(run: readonly RecordableMessage[]): Promise<IngestOutcome[]> {
    const last = run.at(-1);
    if (!last) return [];
    const outcomes = await inTransaction(deps.db, async (store) => {
      const now = clock.now();
      const rows = run.map(toNewPayment);
      // Sent together, run in this order: the fingerprints are read before this run's rows exist.
      const [, earlier, inserted] = await Promise.all([
        store.cursors.advance(last.message.mailbox, last.message.uidValidity, last.message.uid),
        store.payments.withFingerprints(rows.flatMap((row) => row.fingerprint ?? [])),
        store.payments.insertAll(rows),
      ]);
      const rowOf = new Map(inserted.map((row) => [dedupeKey(row), row]));

      const outcomes: IngestOutcome[] = [];
      const payments: Array<PaymentToSettle & { index: number }> = [];
      const holds: NewAuthHold[] = [];
      run.forEach(({ message, examined }, index) => {
        const key = dedupeKey(rows[index] ?? { messageKey: '', authResult: '' });
        const row = rowOf.get(key);
        // Recorded before, or earlier in this run: the row belongs to the first message with its key.
        rowOf.delete(key);
        if (!row) outcomes[index] = { kind: 'duplicate' };
        else if (examined.kind === 'ignored') outcomes[index] = { kind: 'ignored', paymentId: row.id };
        else if (row.status === 'held' && message.raw) {
          // The retrier's back-off begins with its first try, which is due at once.
          holds.push({
            paymentId: row.id,
            raw: message.raw,
            identity: examined.identity,
            heldSince: now,
            nextAttemptAt: now,
          });
          outcomes[index] = { kind: 'held', paymentId: row.id };
        } else {
          const paidAt = paidAtFrom(row.notifiedAt, message.receivedAt ?? now);
          payments.push({ index, row, paidAt });
        }
      });
      await store.authHolds.insertAll(holds);
      const settled = await settlePayments(
        store,
        { review: reviewSettingsOf(config), now },
        payments,
        earlier,
      );
      settled.forEach((outcome, i) => {
        const index = payments[i]?.index;
        if (index !== undefined) outcomes[index] = outcome;
      });
      return outcomes;
    });
    if (outcomes.some((outcome) => outcome.kind !== 'duplicate')) deps.onQueued();
    return outcomes;
  };
}

function toNewPayment({ examined }: RecordableMessage): NewPayment {
  if (examined.kind === 'ignored') return examined.payment;
  const { described, payment, auth } = examined;
  return {
    ...described,
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

/** Message keys are unique among authenticated rows and apart among the others (schema: `_by_trust`). */
function dedupeKey(row: Pick<NewPayment, 'messageKey' | 'authResult'>): string {
  return `${row.authResult === 'pass'}:${row.messageKey}`;
}
