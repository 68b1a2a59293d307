// Use case: an admin settles a payment held for review — approve (credit), assign, reject or refund — exactly once,
// with its review.decided event.
import { isUniqueViolation } from '../../shared/db/database.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import { reviewDecided } from '../events/event-bodies.ts';
import type { AdminDecision, AdminTexts } from '../notify/admin-texts.ts';
import { formatLocalSeconds, type Language } from '../notify/customer-texts.ts';
import { statusesBefore } from '../orders/order.models.ts';
import { credit } from '../payments/credit.ts';
import type { Payment } from '../payments/payment.models.ts';
import { type Admin, actorOf, Rollback, unlessRolledBack } from './admin-actor.ts';
import { editCards } from './card-edits.ts';
import { creditTarget, type TargetDecision, type TargetRefusal } from './credit-target.ts';

export type ReviewDecision =
  /** A card's approve button: to the order the payment names, or to the likely order the button names. */
  | { kind: 'approve'; paymentId: number; orderNo: string | null }
  /** `/assign PAYMENT ORDERNO|USERID`. */
  | { kind: 'assign'; paymentId: number; target: string }
  | { kind: 'reject' | 'refund'; paymentId: number };

export type ReviewOutcome =
  | { kind: 'decided'; decision: AdminDecision; target: string | null }
  | { kind: 'not_this_card' }
  | { kind: 'payment_not_found' }
  | { kind: 'already_decided'; status: string; decidedBy: number | null }
  | TargetRefusal;

/** The Telegram message the button was pressed on; a press is honoured only on that payment's own card. */
export interface PressedCard {
  chatId: number;
  messageId: number;
}

interface ReviewDeps {
  transaction: Transaction;
  clock: Clock;
  timeZone: string;
  /** ADMIN_LANGUAGE: the cards of admins who chose none are edited in it. */
  adminLanguage: Language;
  onQueued: () => void;
}

/** One decision in its transaction: the payment as read under it, and the moment. */
interface Deciding {
  deps: ReviewDeps;
  store: Store;
  admin: Admin;
  payment: Payment & { amountFen: number };
  now: Date;
}

const ALREADY_DECIDED: ReviewOutcome = { kind: 'already_decided', status: 'decided', decidedBy: null };

export function createReviewPayment(deps: ReviewDeps) {
  return async function reviewPayment(
    admin: Admin,
    decision: ReviewDecision,
    pressed?: PressedCard,
  ): Promise<ReviewOutcome> {
    const outcome = await unlessRolledBack(() =>
      deps.transaction((store) => decide(deps, store, admin, decision, pressed)),
    ).catch(async (error: unknown) => {
      // A concurrent decision got the payment's one credit first.
      if (!isUniqueViolation(error)) throw error;
      return alreadyDecided(deps.transaction, decision.paymentId);
    });
    if (outcome.kind === 'decided') deps.onQueued();
    return outcome;
  };
}

async function alreadyDecided(transaction: Transaction, paymentId: number): Promise<ReviewOutcome> {
  return transaction(async (store) => {
    const payment = await store.decisions.payment(paymentId);
    return payment
      ? { kind: 'already_decided', status: payment.status, decidedBy: payment.decidedBy }
      : { kind: 'payment_not_found' };
  });
}

async function decide(
  deps: ReviewDeps,
  store: Store,
  admin: Admin,
  decision: ReviewDecision,
  pressed: PressedCard | undefined,
): Promise<ReviewOutcome> {
  const { paymentId } = decision;
  if (pressed && !(await store.adminCards.isCardOf(paymentId, pressed.chatId, pressed.messageId))) {
    return { kind: 'not_this_card' };
  }
  const payment = await store.decisions.payment(paymentId);
  if (!payment || payment.amountFen === null) return { kind: 'payment_not_found' };
  if (payment.status !== 'review') {
    return { kind: 'already_decided', status: payment.status, decidedBy: payment.decidedBy };
  }
  const deciding = {
    deps,
    store,
    admin,
    payment: { ...payment, amountFen: payment.amountFen },
    now: deps.clock.now(),
  };
  if (decision.kind === 'approve' || decision.kind === 'assign') return approve(deciding, decision);
  return settleUncredited(deciding, decision.kind);
}

/** Reject (not a payment to credit) or refund (the money goes back to the payer outside the bot). */
async function settleUncredited(
  { deps, store, admin, payment, now }: Deciding,
  decision: 'reject' | 'refund',
): Promise<ReviewOutcome> {
  const status = decision === 'reject' ? 'rejected' : 'refunded';
  if (!(await store.decisions.decide(payment.id, status, admin.id, now, payment.orderId)))
    return ALREADY_DECIDED;
  await store.audit.record({
    actorId: admin.id,
    actorName: admin.name,
    action: decision,
    paymentId: payment.id,
  });
  const event = {
    paymentId: payment.id,
    decision,
    amountFen: payment.amountFen,
    orderNo: null,
    customer: null,
  };
  await store.events.queue([reviewDecided({ ...event, actor: actorOf(admin) })], now);
  await edit(deps, store, payment.id, (texts) => texts.decided({ ...facts(deps, admin, now), decision }));
  return { kind: 'decided', decision, target: null };
}

/** Credits the payment's amount to the target through the one credit path. */
async function approve(
  { deps, store, admin, payment, now }: Deciding,
  decision: TargetDecision,
): Promise<ReviewOutcome> {
  const target = await creditTarget(store, decision, payment);
  if ('kind' in target) return target;
  const { order, customerId } = target;
  const amountFen = payment.amountFen;
  if (!(await store.decisions.decide(payment.id, 'matched', admin.id, now, order?.id ?? null))) {
    return ALREADY_DECIDED;
  }
  const request = { paymentId: payment.id, order, customerId, amountFen, actor: actorOf(admin) };
  // An admin may credit any order not yet paid: a cancelled one too.
  const [credited] = await credit(store, [request], { at: now, orderFrom: statusesBefore('paid') });
  if (!credited && order) {
    throw new Rollback<ReviewOutcome>({
      kind: 'order_not_creditable',
      orderNo: order.orderNo,
      status: order.status,
    });
  }
  const orderNo = order?.orderNo ?? null;
  const customer = await store.customers.find(customerId);
  // Admins know customers by Telegram user id, not by the internal customer id.
  const shownId = customer ? adminNumberOf(customer) : customerId;
  const event = { paymentId: payment.id, decision: 'approve' as const, amountFen, orderNo, customer };
  await store.events.queue([reviewDecided({ ...event, actor: actorOf(admin) })], now);
  await store.audit.record({
    actorId: admin.id,
    actorName: admin.name,
    action: decision.kind,
    paymentId: payment.id,
    orderId: order?.id ?? null,
    customerId,
    amountFen,
  });
  await edit(deps, store, payment.id, (texts) =>
    texts.decided({
      ...facts(deps, admin, now),
      decision: 'approve',
      orderNo,
      customerId: shownId,
      amountFen,
    }),
  );
  return { kind: 'decided', decision: 'approve', target: orderNo ?? String(shownId) };
}

function edit(deps: ReviewDeps, store: Store, paymentId: number, decided: (texts: AdminTexts) => string) {
  return editCards(store, { paymentId, adminLanguage: deps.adminLanguage, decided });
}

function facts(deps: ReviewDeps, admin: Admin, at: Date) {
  return {
    by: admin.name,
    at: formatLocalSeconds(at, deps.timeZone),
    orderNo: null,
    customerId: null,
    amountFen: 0,
  };
}

export type ReviewPayment = ReturnType<typeof createReviewPayment>;
