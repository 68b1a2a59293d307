// Settles recorded payments inside the caller's transaction: matched and credited, or held for review — the one
// path for a payment recorded from the mailbox and for a held one whose signature was checked later.

import type { Store } from '../../shared/db/store.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { OPEN_STATUSES, type Order } from '../orders/order.models.ts';
import { orderNumberCandidates } from '../orders/order-number.ts';
import { queueReviewCards } from '../review/review-card.ts';
import type { ReviewSettings } from '../review/review-settings.ts';
import { credit } from './credit.ts';
import { type Sighting, suspectedRepeats } from './duplicates.ts';
import {
  candidatesFor,
  candidateWindow,
  lostCreditReason,
  type MatchOutcome,
  matchPayment,
} from './matching.ts';
import type { Payment } from './payment.models.ts';

/** A recorded payment (its row's amount and memo are the parse's) and when it was paid. */
export interface PaymentToSettle {
  row: Payment;
  paidAt: Date;
}

/** What became of a settled payment: credited to an order, or put to review. */
export type SettledOutcome =
  | { kind: 'credited'; paymentId: number; orderNo: string }
  | { kind: 'review'; paymentId: number; reason: string };

/**
 * Settles `payments` in order, as if each were recorded on its own; returns their outcomes, in order.
 * `earlier`: authenticated notifications recorded before with the payments' fingerprints (repeats).
 */
export async function settlePayments(
  store: Store,
  deps: { review: ReviewSettings; now: Date },
  payments: readonly PaymentToSettle[],
  earlier: readonly Sighting[],
): Promise<SettledOutcome[]> {
  if (payments.length === 0) return [];
  const matches = matchRun(payments, await loadCandidates(store, payments), earlier);
  const credits = matches.flatMap(({ paid, match }) =>
    match.kind === 'credit'
      ? [
          {
            paid,
            paymentId: paid.row.id,
            order: match.order,
            customerId: match.order.customerId,
            amountFen: match.order.requestedFen,
            actor: `auto:${match.by}`,
          },
        ]
      : [],
  );
  // A matched order is paid only while still open: one the customer cancelled meanwhile goes to review.
  const balances = await credit(store, credits, { at: deps.now, orderFrom: OPEN_STATUSES });
  const credited = new Set(credits.filter((_, i) => balances[i]).map((credit) => credit.paid));
  // Orders closed by someone else after they were read: read again, to say how (sent with the settling).
  const lost = credits.filter((credit) => !credited.has(credit.paid)).map((credit) => credit.order.id);
  const [, reread] = await Promise.all([
    store.payments.settleAll(
      credits.flatMap(({ paid, paymentId, order }) =>
        credited.has(paid) ? [{ id: paymentId, status: 'matched' as const, orderId: order.id }] : [],
      ),
    ),
    store.orders.findByIds(lost),
  ]);
  const current = new Map(reread.map((order) => [order.id, order]));
  const outcomes: SettledOutcome[] = [];
  for (const { paid, match } of matches) {
    if (match.kind === 'review') {
      outcomes.push(await review(store, deps, paid, match.reason, match.orders));
    } else if (credited.has(paid)) {
      outcomes.push({ kind: 'credited', paymentId: paid.row.id, orderNo: match.order.orderNo });
    } else {
      const order = current.get(match.order.id) ?? match.order;
      outcomes.push(await review(store, deps, paid, lostCreditReason(order), [order]));
    }
  }
  return outcomes;
}

async function review(
  store: Store,
  { review: settings, now }: { review: ReviewSettings; now: Date },
  paid: PaymentToSettle,
  reason: string,
  orders: readonly Order[],
): Promise<SettledOutcome> {
  const paymentId = paid.row.id;
  const [named] = orders;
  await store.payments.settle(paymentId, {
    status: 'review',
    reviewReason: reason,
    orderId: named?.id ?? null,
  });
  // Anyone can mail the mailbox: past a few forged-looking cards a minute, the rest wait in /pending
  // and the admins get one summary of them.
  const { admins } = settings;
  const carded =
    reason !== 'unauthenticated' ||
    (await admitAdminNotice(store, {
      kind: 'unauthenticated_card',
      admins,
      floodPerMinute: settings.floodPerMinute,
      now,
    }));
  if (carded) await queueReviewCards(store, { paymentId, admins, settings: settings.card });
  if (named && orders.length === 1 && paid.row.memo) {
    await notifyCustomer(store, named.customerId, (texts) => texts.inReview(named.orderNo));
  }
  return { kind: 'review', paymentId, reason };
}

/** The orders any payment of the run could be for, in one query. */
function loadCandidates(store: Store, payments: readonly PaymentToSettle[]): Promise<Order[]> {
  const times = payments.map((p) => p.paidAt.getTime());
  return store.orders.findCandidates({
    orderNos: [...new Set(payments.flatMap((p) => orderNumberCandidates(p.row.memo)))],
    amountsFen: [...new Set(payments.map((p) => p.row.amountFen ?? 0))],
    providers: [...new Set(payments.flatMap((p) => (p.row.provider === null ? [] : [p.row.provider])))],
    ...candidateWindow(new Date(Math.min(...times)), new Date(Math.max(...times))),
  });
}

/**
 * Matches the run's payments in order, as if each were recorded on its own: an order credited to one is
 * paid for the next, and a notification repeated within the run is a suspected duplicate like any other.
 */
function matchRun(
  payments: readonly PaymentToSettle[],
  candidates: readonly Order[],
  earlier: readonly Sighting[],
): Array<{ paid: PaymentToSettle; match: MatchOutcome<Order> }> {
  const orders = candidates.map((order) => ({ ...order }));
  const repeats = suspectedRepeats(
    payments.map(({ row }) => ({ ...row, authenticated: row.authResult === 'pass' })),
    earlier,
  );
  return payments.map((paid, i) => {
    const { row, paidAt } = paid;
    const amountFen = row.amountFen ?? 0;
    const { named, sameAmount } = candidatesFor({ amountFen, memo: row.memo, paidAt }, orders);
    const match = matchPayment(
      {
        amountFen,
        provider: row.provider,
        memo: row.memo,
        paidAt,
        authentication: authenticationOf(row.authResult),
        suspectedDuplicate: repeats[i] ?? false,
        unclear: doubtOf(row) !== null,
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

function authenticationOf(authResult: string): 'pass' | 'fail' | 'unavailable' {
  if (authResult === 'pass') return 'pass';
  return authResult === 'temperror' ? 'unavailable' : 'fail';
}

/** Why the parser found the notification could be read more than one way (recorded in `detail.doubt`). */
function doubtOf(row: Payment): string | null {
  const doubt = (row.detail as { doubt?: unknown } | null)?.doubt;
  return typeof doubt === 'string' ? doubt : null;
}
