// Orders in the domain: the statuses, the one table of their transitions, and the rules read from it.

import type { Provider } from '../payments/notification/payment-notification.ts';

export const ORDER_STATUSES = ['pending', 'paid', 'expired', 'cancelled', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Order {
  id: number;
  orderNo: string;
  customerId: number;
  requestedFen: number;
  /** The amount the customer pays; unique among pending orders (the offset window). */
  payableFen: number;
  status: OrderStatus;
  /** The collection code it is paid to; null when the payee has one (no PAYEE_QR_URL_WECHAT): either fits. */
  provider: Provider | null;
  createdAt: Date;
  expiresAt: Date;
  /** When it was paid, expired or cancelled; a refund keeps the time it was paid. */
  closedAt: Date | null;
}

/**
 * Every move an order may make. Expired and cancelled orders may still be paid: a payment that came
 * before the expiry (the sweep ran before its notification), or an admin crediting a late payment.
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'expired', 'cancelled'],
  expired: ['paid'],
  cancelled: ['paid'],
  paid: ['refunded'],
  refunded: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** The statuses an order may move to `to` from: the conditional update's guard. */
export function statusesBefore(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canTransition(from, to));
}

/** An admin may credit a payment to an order not yet paid (nor refunded). */
export function canCredit(order: Pick<Order, 'status'>): boolean {
  return canTransition(order.status, 'paid');
}

/**
 * The statuses in which an order takes a payment by itself (auto credit): pending, or marked expired by a
 * sweep that ran before the notification arrived. A cancelled order was the customer's no: only an admin
 * credits it.
 */
export const OPEN_STATUSES: readonly OrderStatus[] = ['pending', 'expired'];

/**
 * Could still be paid at the moment of payment: not past its expiry (an order expiring that very second
 * counts), and open.
 */
export function isOpenAt(order: Pick<Order, 'status' | 'expiresAt'>, at: Date): boolean {
  return at.getTime() <= order.expiresAt.getTime() && OPEN_STATUSES.includes(order.status);
}

/** Paid, or paid and refunded: a second payment for it is not its money. */
export function wasPaid(order: Pick<Order, 'status'>): boolean {
  return order.status === 'paid' || order.status === 'refunded';
}
