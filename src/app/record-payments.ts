// Records a run of examined messages in one transaction that also moves the cursor past them: payments
// matched and credited, or held for review, with a few statements however many messages the run holds.
import type { Db } from '../adapters/db/database.ts';
import type { OrderRow } from '../adapters/db/orders.repository.ts';
import type { NewPayment, PaymentRow } from '../adapters/db/payments.repository.ts';
import { inTransaction, type Store } from '../adapters/db/store.ts';
import type { Config } from '../config.ts';
import {
  lostCreditReason,
  type MatchOutcome,
  matchPayment,
  paidAtFrom,
  wasPayableAround,
} from '../domain/matching.ts';
import { notificationFingerprint } from '../domain/notification/notification-fingerprint.ts';
import type { PaymentNotification } from '../domain/notification/parse-notification.ts';
import { orderNumberCandidates } from '../domain/order-number.ts';
import { languageOf, textsFor } from '../domain/texts.ts';
import { admitAdminNotice } from './admin-notices.ts';
import { creditOrders } from './credit-orders.ts';
import type { Examined, IncomingMessage } from './examine-message.ts';
import type { IngestOutcome } from './ingest-message.ts';
import type { Clock } from './ports.ts';
import { queueReviewCards } from './review-card.ts';

/** A message examined as a payment, or as mail to ignore; failures are recorded on their own. */
export interface RecordableMessage {
  message: IncomingMessage;
  examined: Extract<Examined, { kind: 'payment' | 'ignored' }>;
}

interface PaymentInRun {
  index: number;
  row: PaymentRow;
  payment: PaymentNotification;
  paidAt: Date;
}

export function createRecordPayments(deps: { db: Db; config: Config; clock: Clock; onQueued: () => void }) {
  const { config, clock } = deps;
  const cardSettings = { timeZone: config.timeZone, nearFen: config.recharge.offsetMaxFen };

  /** Records `run` (messages of one mailbox, in UID order); returns each message's outcome. */
  return async function recordPayments(run: readonly RecordableMessage[]): Promise<IngestOutcome[]> {
    const last = run.at(-1);
    if (!last) return [];
    const outcomes = await inTransaction(deps.db, async (store) => {
      const rows = run.map(toNewPayment);
      // Sent together, run in this order: the fingerprints are read before this run's rows exist.
      const [, earlier, inserted] = await Promise.all([
        store.cursors.advance(last.message.mailbox, last.message.uidValidity, last.message.uid),
        store.payments.withFingerprints(rows.flatMap((row) => row.fingerprint ?? [])),
        store.payments.insertAll(rows),
      ]);
      const rowOf = new Map(inserted.map((row) => [dedupeKey(row), row]));

      const outcomes: IngestOutcome[] = [];
      const payments: PaymentInRun[] = [];
      run.forEach(({ message, examined }, index) => {
        const key = dedupeKey(rows[index] ?? { messageKey: '', authResult: '' });
        const row = rowOf.get(key);
        // Recorded before, or earlier in this run: the row belongs to the first message with its key.
        rowOf.delete(key);
        if (!row) outcomes[index] = { kind: 'duplicate' };
        else if (examined.kind === 'ignored') outcomes[index] = { kind: 'ignored', paymentId: row.id };
        else {
          const paidAt = paidAtFrom(row.notifiedAt, message.receivedAt ?? clock.now());
          payments.push({ index, row, payment: examined.payment, paidAt });
        }
      });
      if (payments.length === 0) return outcomes;

      const matches = matchRun(payments, await loadCandidates(store, payments), earlier);
      const credits = matches.flatMap(({ paid, match }) =>
        match.kind === 'credit'
          ? [{ paid, order: match.order, paymentId: paid.row.id, actor: `auto:${match.by}` }]
          : [],
      );
      const balances = await creditOrders(store, credits, clock.now());
      const credited = new Set(credits.filter((_, i) => balances[i]).map((credit) => credit.paid));
      // Orders closed by someone else after they were read: read again, to say how.
      const lost = credits.filter((credit) => !credited.has(credit.paid)).map((credit) => credit.order.id);
      const current = new Map((await store.orders.findByIds(lost)).map((order) => [order.id, order]));
      for (const { paid, match } of matches) {
        if (match.kind === 'review') {
          outcomes[paid.index] = await review(store, paid, match.reason, match.orders);
        } else if (credited.has(paid)) {
          outcomes[paid.index] = { kind: 'credited', paymentId: paid.row.id, orderNo: match.order.orderNo };
        } else {
          const order = current.get(match.order.id) ?? match.order;
          outcomes[paid.index] = await review(store, paid, lostCreditReason(order), [order]);
        }
      }
      return outcomes;
    });
    if (outcomes.some((outcome) => outcome.kind !== 'duplicate')) deps.onQueued();
    return outcomes;
  };

  async function review(
    store: Store,
    paid: PaymentInRun,
    reason: string,
    orders: readonly OrderRow[],
  ): Promise<IngestOutcome> {
    const paymentId = paid.row.id;
    const [named] = orders;
    await store.payments.settle(paymentId, {
      status: 'review',
      reviewReason: reason,
      orderId: named?.id ?? null,
    });
    // Anyone can mail the mailbox: past a few forged-looking cards a minute, the rest wait in /pending
    // and the admins get one summary of them.
    const adminIds = config.telegram.adminIds;
    const carded =
      reason !== 'unauthenticated' ||
      (await admitAdminNotice(store, {
        kind: 'unauthenticated_card',
        adminIds,
        floodPerMinute: config.alarms.floodPerMinute,
        now: clock.now(),
      }));
    if (carded) await queueReviewCards(store, { paymentId, chatIds: adminIds, settings: cardSettings });
    if (named && orders.length === 1 && paid.payment.memo) {
      const customer = await store.customers.find(named.customerId);
      if (customer) {
        const text = textsFor(languageOf(customer.languageCode)).inReview(named.orderNo);
        await store.outbox.enqueue([{ chatId: customer.chatId, message: { method: 'sendMessage', text } }]);
      }
    }
    return { kind: 'review', paymentId, reason };
  }
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
    authResult: auth.verdict,
    authDetail: auth.detail,
    status: 'review',
  };
}

/** Message keys are unique among authenticated rows and apart among the others (schema: `_by_trust`). */
function dedupeKey(row: Pick<NewPayment, 'messageKey' | 'authResult'>): string {
  return `${row.authResult === 'pass'}:${row.messageKey}`;
}

/** The orders any payment of the run could be for, in one query. */
function loadCandidates(store: Store, payments: readonly PaymentInRun[]): Promise<OrderRow[]> {
  const times = payments.map((p) => p.paidAt.getTime());
  return store.orders.findCandidates({
    orderNos: [...new Set(payments.flatMap((p) => orderNumberCandidates(p.payment.memo)))],
    amountsFen: [...new Set(payments.map((p) => p.payment.amountFen))],
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
  });
}

/**
 * Matches the run's payments in order, as if each were recorded on its own: an order credited to one is
 * paid for the next, and a notification repeated within the run is a suspected duplicate like any other.
 */
function matchRun(
  payments: readonly PaymentInRun[],
  candidates: readonly OrderRow[],
  earlier: ReadonlyArray<{ fingerprint: string; messageKey: string }>,
): Array<{ paid: PaymentInRun; match: MatchOutcome<OrderRow> }> {
  const orders = candidates.map((order) => ({ ...order }));
  const seen = new Map<string, Set<string>>();
  const remember = (fingerprint: string, messageKey: string) =>
    seen.set(fingerprint, (seen.get(fingerprint) ?? new Set()).add(messageKey));
  for (const { fingerprint, messageKey } of earlier) remember(fingerprint, messageKey);

  return payments.map((paid) => {
    const { row, payment, paidAt } = paid;
    const fingerprint = row.fingerprint ?? '';
    const suspectedDuplicate = [...(seen.get(fingerprint) ?? [])].some((key) => key !== row.messageKey);
    // Only an authenticated notification can make another a repeat: a forged copy must not shadow it.
    if (row.authResult === 'pass') remember(fingerprint, row.messageKey);
    const orderNos = new Set(orderNumberCandidates(payment.memo));
    const named = orders.filter((order) => orderNos.has(order.orderNo));
    const sameAmount = orders.filter(
      (order) =>
        !orderNos.has(order.orderNo) &&
        order.payableFen === payment.amountFen &&
        wasPayableAround(order, paidAt),
    );
    const match = matchPayment(
      {
        amountFen: payment.amountFen,
        memo: payment.memo,
        paidAt,
        authenticated: row.authResult === 'pass',
        suspectedDuplicate,
      },
      named,
      sameAmount,
    );
    if (match.kind === 'credit') {
      const order = orders.find((o) => o.id === match.order.id);
      if (order) order.status = 'paid';
    }
    return { paid, match };
  });
}
