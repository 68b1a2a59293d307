// Queues a payment's review card — facts, reason in words, decision buttons — to admins, in the caller's transaction.

import type { Store } from '../../shared/db/store.ts';
import { type AdminAudience, adminTextsByChat } from '../notify/admin-audience.ts';
import { formatLocalSeconds } from '../notify/customer-texts.ts';
import { canCredit, type Order } from '../orders/order.models.ts';
import { candidateWindow, likelyOrders, memoNames, paidAtFrom } from '../payments/matching.ts';
import type { Payment } from '../payments/payment.models.ts';
import { cardButtons } from './admin-card.ts';
import type { CardSettings } from './review-settings.ts';

/** The order a payment clearly names: linked at review and named in its memo, and still creditable. */
export function clearOrder(payment: Pick<Payment, 'orderId' | 'memo'>, order: Order | null): Order | null {
  return namesOrder(payment, order) && canCredit(order) ? order : null;
}

export function namesOrder(payment: Pick<Payment, 'orderId' | 'memo'>, order: Order | null): order is Order {
  return order !== null && order.id === payment.orderId && memoNames(payment.memo, order.orderNo);
}

/** When the payment was made: the notification's time, never later than its arrival. */
export function paidAtOf(payment: Pick<Payment, 'notifiedAt' | 'receivedAt' | 'processedAt'>): Date {
  return paidAtFrom(payment.notifiedAt, payment.receivedAt ?? payment.processedAt);
}

/** Likely orders for a payment no order clearly fits (the matcher's rule and time window). */
async function likelyOrdersOf(
  store: Store,
  payment: { amountFen: number; paidAt: Date },
  nearFen: number,
): Promise<Order[]> {
  const around = await store.orders.findAround({
    lowestFen: payment.amountFen - nearFen,
    highestFen: payment.amountFen + nearFen,
    ...candidateWindow(payment.paidAt, payment.paidAt),
  });
  return likelyOrders(payment, around, nearFen);
}

export async function queueReviewCards(
  store: Store,
  args: { paymentId: number; admins: AdminAudience; settings: CardSettings },
): Promise<void> {
  const payment = await store.decisions.payment(args.paymentId);
  if (!payment || payment.amountFen === null) return;
  const linked = payment.orderId ? await store.orders.findById(payment.orderId) : null;
  const clear = clearOrder(payment, linked);
  const paidAt = paidAtOf(payment);
  const candidates = clear
    ? []
    : await likelyOrdersOf(store, { amountFen: payment.amountFen, paidAt }, args.settings.nearFen);
  const facts = {
    paymentId: payment.id,
    reason: payment.reviewReason ?? 'unmatched',
    provider: payment.provider,
    amountFen: payment.amountFen,
    payer: payment.payer,
    memo: payment.memo,
    time: formatLocalSeconds(paidAt, args.settings.timeZone),
    orderNo: linked?.orderNo ?? null,
    shop: linked ? ((await store.shopOrderViews.shopsOf([linked.id])).get(linked.id) ?? null) : null,
  };
  const chats = await adminTextsByChat(store, args.admins);
  const outboxIds = await store.outbox.enqueue(
    chats.map(({ chatId, texts }) => ({
      chatId,
      message: {
        method: 'sendMessage',
        text: texts.review(facts),
        buttons: cardButtons(texts, payment.id, clear?.orderNo ?? null, candidates),
      },
    })),
  );
  await store.adminCards.record(
    payment.id,
    chats.map(({ chatId }, i) => ({ chatId, outboxId: outboxIds[i] ?? 0 })),
  );
}
