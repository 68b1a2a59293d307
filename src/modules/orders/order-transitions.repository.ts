// Order status changes: conditional updates, so each succeeds for exactly one caller however many race for it.
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { orders } from '../../shared/db/schema.ts';
import { type Order, type OrderStatus, statusesBefore } from './order.models.ts';

export function createOrderTransitionsRepository({ db }: { db: Db }) {
  /** Moves the orders from one of `from` to `to` (closing them at `at`), in one statement: returns those it moved. */
  async function transitionAll(
    ids: readonly number[],
    from: OrderStatus | readonly OrderStatus[],
    to: OrderStatus,
    at: Date,
  ): Promise<Order[]> {
    if (ids.length === 0) return [];
    const fromStatuses: OrderStatus[] = typeof from === 'string' ? [from] : [...from];
    return db
      .update(orders)
      .set({ status: to, closedAt: at })
      .where(and(inArray(orders.id, [...ids]), inArray(orders.status, fromStatuses)))
      .returning();
  }

  return {
    transitionAll,

    async transition(
      id: number,
      from: OrderStatus | readonly OrderStatus[],
      to: OrderStatus,
      at: Date,
    ): Promise<Order | null> {
      const [row] = await transitionAll([id], from, to, at);
      return row ?? null;
    },

    /** paid → refunded, once; closed_at keeps the time it was paid. */
    async refund(id: number): Promise<Order | null> {
      const [row] = await db
        .update(orders)
        .set({ status: 'refunded' })
        .where(and(eq(orders.id, id), inArray(orders.status, statusesBefore('refunded'))))
        .returning();
      return row ?? null;
    },

    /**
     * Marks pending orders whose expiry is before `now` expired and returns them. The conditional
     * update makes concurrent sweeps (and a credit racing a sweep) each win an order at most once.
     */
    async expireDue(now: Date): Promise<Order[]> {
      return (
        db
          .update(orders)
          .set({ status: 'expired', closedAt: now })
          // `status = 'pending'` spelt as the partial index's predicate, so the sweep reads only that index.
          .where(and(eq(orders.status, 'pending'), lt(orders.expiresAt, now)))
          .returning()
      );
    },
  };
}
