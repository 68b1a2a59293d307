// How many orders one customer may hold, create and cancel: so that no one can squat the amount window.

/** Creations and cancellations are counted over the last hour. */
export const ORDER_LIMIT_WINDOW_MS = 3_600_000;

export interface OrderLimits {
  maxPending: number;
  /** Unpaid orders (pending, expired, cancelled) created in the window; paid ones prove real money. */
  maxCreated: number;
  maxCancelled: number;
}

/** One customer's orders as the database counts them, at the start of a transaction. */
export interface OrderUsage {
  pending: number;
  created: number;
  /** The oldest unpaid order created in the window: the limit lifts an hour after it. */
  oldestCreatedAt: Date | null;
  cancelled: number;
  oldestCancelledAt: Date | null;
}

export const NO_USAGE: OrderUsage = {
  pending: 0,
  created: 0,
  oldestCreatedAt: null,
  cancelled: 0,
  oldestCancelledAt: null,
};

export type CreationRefusal =
  | { code: 'order.too_many_pending' }
  | { code: 'order.too_many_recent'; retryAt: Date };

/** Why the customer may not create another order now, or null when they may. */
export function creationRefusal(usage: OrderUsage, limits: OrderLimits, now: Date): CreationRefusal | null {
  if (usage.pending >= limits.maxPending) return { code: 'order.too_many_pending' };
  if (usage.created >= limits.maxCreated)
    return { code: 'order.too_many_recent', retryAt: windowEnd(usage.oldestCreatedAt, now) };
  return null;
}

/** The usage once one more order is created at `now`. */
export function withCreated(usage: OrderUsage, now: Date): OrderUsage {
  return {
    ...usage,
    pending: usage.pending + 1,
    created: usage.created + 1,
    oldestCreatedAt: usage.oldestCreatedAt ?? now,
  };
}

/** When the customer may cancel again, or null when they may now. */
export function cancellationRefusal(usage: OrderUsage, limits: OrderLimits, now: Date): Date | null {
  return usage.cancelled >= limits.maxCancelled ? windowEnd(usage.oldestCancelledAt, now) : null;
}

function windowEnd(oldest: Date | null, now: Date): Date {
  return new Date((oldest ?? now).getTime() + ORDER_LIMIT_WINDOW_MS);
}
