// Queues a payment's review card — facts, reason in words, decision buttons — to admins, in the caller's transaction.

import type { Store } from '../../shared/db/store.ts';
import { type AdminAudience, adminTextsByChat } from '../notify/admin-audience.ts';
import { formatLocalSeconds } from '../notify/customer-texts.ts';
import type { OrderRow } from '../orders/orders.repository.ts';
import { memoNames, paidAtFrom } from '../payments/matching.ts';
import { cardButtons } from './admin-card.ts';
import type { PaymentRow } from './decisions.repository.ts';

export interface CardSettings {
  timeZone: string;
  /** How far from the paid amount a likely order may be (AMOUNT_OFFSET_MAX_FEN). */
  nearFen: number;
}

/** The order a payment clearly names: linked at review and named in its memo, and still creditable. */
export function clearOrder(
  payment: Pick<PaymentRow, 'orderId' | 'memo'>,
  order: OrderRow | null,
): OrderRow | null {
  return namesOrder(payment, order) && isCreditable(order) ? order : null;
}

export function namesOrder(
  payment: Pick<PaymentRow, 'orderId' | 'memo'>,
  order: OrderRow | null,
): order is OrderRow {
  return order !== null && order.id === payment.orderId && memoNames(payment.memo, order.orderNo);
}

/** An admin may credit a payment to an order not yet paid (nor refunded). */
export function isCreditable(order: OrderRow): boolean {
  return order.status === 'pending' || order.status === 'expired' || order.status === 'cancelled';
}

/** When the payment was made: the notification's time, never later than its arrival. */
export function paidAtOf(payment: PaymentRow): Date {
  return paidAtFrom(payment.notifiedAt, payment.receivedAt ?? payment.processedAt);
}

export async function queueReviewCards(
  store: Store,
  args: { paymentId: number; admins: AdminAudience; settings: CardSettings },
): Promise<void> {
  const payment = await store.decisions.payment(args.paymentId);
  if (!payment || payment.amountFen === null) return;
  const linked = payment.orderId ? await store.decisions.order(payment.orderId) : null;
  const clear = clearOrder(payment, linked);
  const candidates = clear
    ? []
    : await store.decisions.candidates(payment.amountFen, paidAtOf(payment), args.settings.nearFen);
  const facts = {
    paymentId: payment.id,
    reason: payment.reviewReason ?? 'unmatched',
    provider: payment.provider,
    amountFen: payment.amountFen,
    payer: payment.payer,
    memo: payment.memo,
    time: formatLocalSeconds(paidAtOf(payment), args.settings.timeZone),
    orderNo: linked?.orderNo ?? null,
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
  await store.decisions.recordCards(
    payment.id,
    chats.map(({ chatId }, i) => ({ chatId, outboxId: outboxIds[i] ?? 0 })),
  );
}
