// Review decisions: the payments held for review, and an admin settling one — exactly once.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { payments } from '../../shared/db/schema.ts';
import type { Payment, PaymentStatus } from '../payments/payment.models.ts';

export function createReviewDecisionsRepository({ db }: { db: Db }) {
  return {
    async payment(id: number): Promise<Payment | null> {
      const [row] = await db.select().from(payments).where(eq(payments.id, id));
      return row ?? null;
    },

    /** Settles a payment held for review; succeeds for exactly one caller, however many race for it. */
    async decide(
      id: number,
      to: PaymentStatus,
      by: number,
      at: Date,
      orderId: number | null,
    ): Promise<Payment | null> {
      const [row] = await db
        .update(payments)
        .set({ status: to, decidedBy: by, decidedAt: at, orderId })
        .where(and(eq(payments.id, id), eq(payments.status, 'review')))
        .returning();
      return row ?? null;
    },

    /** A credited payment whose money goes back: matched → refunded. */
    async markRefunded(id: number, by: number, at: Date): Promise<void> {
      await db
        .update(payments)
        .set({ status: 'refunded', decidedBy: by, decidedAt: at })
        .where(and(eq(payments.id, id), eq(payments.status, 'matched')));
    },

    /** The review queue: its size, and the oldest `limit` payments after payment `afterId`, and how many follow them. */
    async reviewQueue(
      limit: number,
      afterId: number,
    ): Promise<{ total: number; page: Payment[]; after: number }> {
      const page = await db
        .select()
        .from(payments)
        .where(and(eq(payments.status, 'review'), gt(payments.id, afterId)))
        .orderBy(asc(payments.id))
        .limit(limit);
      const lastId = page.at(-1)?.id ?? afterId;
      const [count] = await db
        .select({
          total: sql<number>`count(*)::int`,
          after: sql<number>`(count(*) filter (where ${payments.id} > ${lastId}))::int`,
        })
        .from(payments)
        .where(eq(payments.status, 'review'));
      return { total: count?.total ?? 0, page, after: count?.after ?? 0 };
    },
  };
}
