// Settles recorded payments inside the caller's transaction: matched and credited, or held for review — the one
// path for a payment recorded from the mailbox and for a held one whose signature was checked later.

import type { Config } from '../../shared/config/config.ts';
import type { Store } from '../../shared/db/store.ts';
import type { IngestOutcome } from '../ingestion/mail/ingest-message.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { orderNumberCandidates } from '../orders/order-number.ts';
import type { OrderRow } from '../orders/orders.repository.ts';
import { queueReviewCards } from '../review/review-card.ts';
import { creditOrders } from './credit-orders.ts';
import { lostCreditReason, type MatchOutcome, matchPayment, wasPayableAround } from './matching.ts';
import type { PaymentRow } from './payments.repository.ts';

/** A recorded payment (its row's amount and memo are the parse's) and when it was paid. */
export interface PaymentToSettle {
  row: PaymentRow;
  paidAt: Date;
}

export type SettledOutcome = Extract<IngestOutcome, { kind: 'credited' | 'review' }>;

/**
 * Settles `payments` in order, as if each were recorded on its own; returns their outcomes, in order.
 * `earlier`: authenticated notifications recorded before with the payments' fingerprints (repeats).
 */
export async function settlePayments(
  store: Store,
  deps: { config: Config; now: Date },
  payments: readonly PaymentToSettle[],
  earlier: ReadonlyArray<{ fingerprint: string; messageKey: string }>,
): Promise<SettledOutcome[]> {
  if (payments.length === 0) return [];
  const matches = matchRun(payments, await loadCandidates(store, payments), earlier);
  const credits = matches.flatMap(({ paid, match }) =>
    match.kind === 'credit'
      ? [{ paid, order: match.order, paymentId: paid.row.id, actor: `auto:${match.by}` }]
      : [],
  );
  const balances = await creditOrders(store, credits, deps.now);
  const credited = new Set(credits.filter((_, i) => balances[i]).map((credit) => credit.paid));
  // Orders closed by someone else after they were read: read again, to say how.
  const lost = credits.filter((credit) => !credited.has(credit.paid)).map((credit) => credit.order.id);
  const current = new Map((await store.orders.findByIds(lost)).map((order) => [order.id, order]));
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
  { config, now }: { config: Config; now: Date },
  paid: PaymentToSettle,
  reason: string,
  orders: readonly OrderRow[],
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
  const admins = adminAudienceOf(config);
  const carded =
    reason !== 'unauthenticated' ||
    (await admitAdminNotice(store, {
      kind: 'unauthenticated_card',
      admins,
      floodPerMinute: config.alarms.floodPerMinute,
      now,
    }));
  if (carded) {
    await queueReviewCards(store, {
      paymentId,
      admins,
      settings: { timeZone: config.timeZone, nearFen: config.recharge.offsetMaxFen },
    });
  }
  if (named && orders.length === 1 && paid.row.memo) {
    await notifyCustomer(store, named.customerId, (texts) => texts.inReview(named.orderNo));
  }
  return { kind: 'review', paymentId, reason };
}

/** The orders any payment of the run could be for, in one query. */
function loadCandidates(store: Store, payments: readonly PaymentToSettle[]): Promise<OrderRow[]> {
  const times = payments.map((p) => p.paidAt.getTime());
  return store.orders.findCandidates({
    orderNos: [...new Set(payments.flatMap((p) => orderNumberCandidates(p.row.memo)))],
    amountsFen: [...new Set(payments.map((p) => p.row.amountFen ?? 0))],
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
  });
}

/**
 * Matches the run's payments in order, as if each were recorded on its own: an order credited to one is
 * paid for the next, and a notification repeated within the run is a suspected duplicate like any other.
 */
function matchRun(
  payments: readonly PaymentToSettle[],
  candidates: readonly OrderRow[],
  earlier: ReadonlyArray<{ fingerprint: string; messageKey: string }>,
): Array<{ paid: PaymentToSettle; match: MatchOutcome<OrderRow> }> {
  const orders = candidates.map((order) => ({ ...order }));
  const seen = new Map<string, Set<string>>();
  const remember = (fingerprint: string, messageKey: string) =>
    seen.set(fingerprint, (seen.get(fingerprint) ?? new Set()).add(messageKey));
  for (const { fingerprint, messageKey } of earlier) remember(fingerprint, messageKey);

  return payments.map((paid) => {
    const { row, paidAt } = paid;
    const amountFen = row.amountFen ?? 0;
    const fingerprint = row.fingerprint ?? '';
    const suspectedDuplicate = [...(seen.get(fingerprint) ?? [])].some((key) => key !== row.messageKey);
    // Only an authenticated notification can make another a repeat: a forged copy must not shadow it.
    if (row.authResult === 'pass') remember(fingerprint, row.messageKey);
    const orderNos = new Set(orderNumberCandidates(row.memo));
    const named = orders.filter((order) => orderNos.has(order.orderNo));
    const sameAmount = orders.filter(
      (order) =>
        !orderNos.has(order.orderNo) && order.payableFen === amountFen && wasPayableAround(order, paidAt),
    );
    const match = matchPayment(
      {
        amountFen,
        memo: row.memo,
        paidAt,
        authentication: authenticationOf(row.authResult),
        suspectedDuplicate,
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
function doubtOf(row: PaymentRow): string | null {
  const doubt = (row.detail as { doubt?: unknown } | null)?.doubt;
  return typeof doubt === 'string' ? doubt : null;
}
