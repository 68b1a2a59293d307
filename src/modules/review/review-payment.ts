// Use case: an admin settles a payment held for review — approve (credit), assign, reject or refund — exactly once.
import type { Db } from '../../shared/db/database.ts';
import { isUniqueViolation } from '../../shared/db/database.ts';
import { inTransaction, type Store } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import { adminTextsByChat } from '../notify/admin-audience.ts';
import type { AdminDecision, AdminTexts } from '../notify/admin-texts.ts';
import { notifyCustomer } from '../notify/customer-notifier.ts';
import { formatLocalSeconds, type Language } from '../notify/customer-texts.ts';
import { normaliseForOrderNumbers } from '../orders/order-number.ts';
import type { OrderRow } from '../orders/orders.repository.ts';
import { type Admin, actorOf, Rollback, unlessRolledBack } from './admin-actor.ts';
import { isCreditable, namesOrder } from './review-card.ts';

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
  | { kind: 'needs_target'; paymentId: number }
  | { kind: 'order_not_found'; orderNo: string }
  | { kind: 'order_not_creditable'; orderNo: string; status: string }
  | { kind: 'customer_not_found'; id: string };

/** The Telegram message the button was pressed on; a press is honoured only on that payment's own card. */
export interface PressedCard {
  chatId: number;
  messageId: number;
}

export function createReviewPayment(deps: {
  db: Db;
  clock: Clock;
  timeZone: string;
  /** ADMIN_LANGUAGE: the cards of admins who chose none are edited in it. */
  adminLanguage: Language;
  onQueued: () => void;
}) {
  return async function reviewPayment(
    admin: Admin,
    decision: ReviewDecision,
    pressed?: PressedCard,
  ): Promise<ReviewOutcome> {
    const outcome = await unlessRolledBack(() =>
      inTransaction(deps.db, (store) => decide(store, admin, decision, pressed)),
    ).catch(async (error: unknown) => {
      // A concurrent decision got the payment's one credit first.
      if (!isUniqueViolation(error)) throw error;
      return alreadyDecided(decision.paymentId);
    });
    if (outcome.kind === 'decided') deps.onQueued();
    return outcome;
  };

  async function alreadyDecided(paymentId: number): Promise<ReviewOutcome> {
    return inTransaction(deps.db, async (store) => {
      const payment = await store.decisions.payment(paymentId);
      return payment
        ? { kind: 'already_decided', status: payment.status, decidedBy: payment.decidedBy }
        : { kind: 'payment_not_found' };
    });
  }

  async function decide(
    store: Store,
    admin: Admin,
    decision: ReviewDecision,
    pressed: PressedCard | undefined,
  ): Promise<ReviewOutcome> {
    const { paymentId } = decision;
    if (pressed && !(await store.decisions.isCardOf(paymentId, pressed.chatId, pressed.messageId))) {
      return { kind: 'not_this_card' };
    }
    const payment = await store.decisions.payment(paymentId);
    if (!payment || payment.amountFen === null) return { kind: 'payment_not_found' };
    if (payment.status !== 'review') {
      return { kind: 'already_decided', status: payment.status, decidedBy: payment.decidedBy };
    }
    const now = deps.clock.now();

    if (decision.kind === 'reject' || decision.kind === 'refund') {
      const status = decision.kind === 'reject' ? 'rejected' : 'refunded';
      if (!(await store.decisions.decide(paymentId, status, admin.id, now, payment.orderId))) {
        return { kind: 'already_decided', status: 'decided', decidedBy: null };
      }
      await store.decisions.audit({
        actorId: admin.id,
        actorName: admin.name,
        action: decision.kind,
        paymentId,
      });
      await editCards(store, paymentId, (texts) =>
        texts.decided({ ...facts(admin, now), decision: decision.kind }),
      );
      return { kind: 'decided', decision: decision.kind, target: null };
    }

    const target = await creditTarget(store, decision, payment);
    if ('kind' in target) return target;
    const order = target.order;
    if (!(await store.decisions.decide(paymentId, 'matched', admin.id, now, order?.id ?? null))) {
      return { kind: 'already_decided', status: 'decided', decidedBy: null };
    }
    if (order && !(await store.decisions.payOrder(order.id, now))) {
      throw new Rollback<ReviewOutcome>({
        kind: 'order_not_creditable',
        orderNo: order.orderNo,
        status: order.status,
      });
    }
    const customerId = target.customerId;
    const amountFen = payment.amountFen;
    await store.ledger.append({
      customerId,
      amountFen,
      kind: 'credit',
      paymentId,
      orderId: order?.id ?? null,
      actor: actorOf(admin),
    });
    const credited = await store.customers.addToBalance(customerId, amountFen);
    const { balanceFen } = credited;
    // Admins know customers by Telegram user id, not by the internal customer id.
    const shownId = adminNumberOf(credited);
    await notifyCustomer(store, customerId, (texts) =>
      order
        ? texts.credited(order.orderNo, amountFen, balanceFen)
        : texts.creditedPayment(amountFen, balanceFen),
    );
    await store.decisions.audit({
      actorId: admin.id,
      actorName: admin.name,
      action: decision.kind,
      paymentId,
      orderId: order?.id ?? null,
      customerId,
      amountFen,
    });
    await editCards(store, paymentId, (texts) =>
      texts.decided({
        ...facts(admin, now),
        decision: 'approve',
        orderNo: order?.orderNo ?? null,
        customerId: shownId,
        amountFen,
      }),
    );
    return { kind: 'decided', decision: 'approve', target: order?.orderNo ?? String(shownId) };
  }

  /** Where an approval credits: an order (and its customer), or a customer without an order. */
  async function creditTarget(
    store: Store,
    decision: ReviewDecision,
    payment: { orderId: number | null; memo: string | null },
  ): Promise<{ order: OrderRow | null; customerId: number } | Exclude<ReviewOutcome, { kind: 'decided' }>> {
    const named =
      decision.kind === 'approve' ? decision.orderNo : decision.kind === 'assign' ? decision.target : null;
    if (named !== null) {
      const order = await store.orders.findByNumber(normaliseForOrderNumbers(named));
      if (order) {
        if (!isCreditable(order)) {
          return { kind: 'order_not_creditable', orderNo: order.orderNo, status: order.status };
        }
        return { order, customerId: order.customerId };
      }
      if (decision.kind === 'assign' && /^\d{1,15}$/.test(named)) {
        // Admins name a customer by their Telegram user id.
        const customerId = await store.telegramCustomers.idOf(Number(named));
        return customerId !== null ? { order: null, customerId } : { kind: 'customer_not_found', id: named };
      }
      return { kind: 'order_not_found', orderNo: named };
    }
    const linked = payment.orderId ? await store.decisions.order(payment.orderId) : null;
    if (namesOrder(payment, linked)) {
      return isCreditable(linked)
        ? { order: linked, customerId: linked.customerId }
        : { kind: 'order_not_creditable', orderNo: linked.orderNo, status: linked.status };
    }
    return { kind: 'needs_target', paymentId: decision.paymentId };
  }

  /** Edits every admin's card of the payment: the facts stay, the buttons go, the decision is added. */
  async function editCards(store: Store, paymentId: number, decided: (texts: AdminTexts) => string) {
    const cards = await store.decisions.cardsOf(paymentId);
    const chats = await adminTextsByChat(store, {
      ids: [...new Set(cards.map((card) => card.chatId))],
      defaultLanguage: deps.adminLanguage,
    });
    const textsOf = new Map(chats.map(({ chatId, texts }) => [chatId, texts]));
    await store.outbox.enqueue(
      cards.flatMap((card) => {
        const texts = textsOf.get(card.chatId);
        if (!texts) return [];
        return [
          {
            chatId: card.chatId,
            message: {
              method: 'editMessageText',
              target: { outboxId: card.outboxId },
              text: `${card.text}\n\n${decided(texts)}`,
            },
          },
        ];
      }),
    );
  }

  function facts(admin: Admin, at: Date) {
    return {
      by: admin.name,
      at: formatLocalSeconds(at, deps.timeZone),
      orderNo: null,
      customerId: null,
      amountFen: 0,
    };
  }
}

export type ReviewPayment = ReturnType<typeof createReviewPayment>;
