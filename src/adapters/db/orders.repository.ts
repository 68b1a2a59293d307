// Orders: creation with a unique payable amount, look-ups for matching, status transitions.
import { and, between, count, desc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { type Db, queryRows } from './database.ts';
import { type OrderStatus, orders } from './schema.ts';

export type OrderRow = typeof orders.$inferSelect;

export const NOTIFICATION_TIME_SLACK_MS = 5_000;

/** Namespace of the advisory locks on payable amounts (the first key of the two-key form). */
const PAYABLE_LOCK_SPACE = 7_411;

export function createOrdersRepository({ db }: { db: Db }) {
  async function claimAmount(payableFen: number): Promise<boolean> {
    const [row] = await queryRows<{ claimed: boolean }>(
      db,
      sql`select pg_try_advisory_xact_lock(${PAYABLE_LOCK_SPACE}, ${payableFen}) as claimed`,
    );
    return row?.claimed === true;
  }

  return {
    async countPending(customerId: number): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(orders)
        .where(and(eq(orders.customerId, customerId), eq(orders.status, 'pending')));
      return row?.n ?? 0;
    },

    /** Payable amounts held by pending orders between the lowest and highest of `amounts`. */
    async takenPayableAmounts(amounts: readonly number[]): Promise<Set<number>> {
      if (amounts.length === 0) return new Set();
      const rows = await db
        .select({ payableFen: orders.payableFen })
        .from(orders)
        .where(
          and(
            eq(orders.status, 'pending'),
            between(orders.payableFen, Math.min(...amounts), Math.max(...amounts)),
          ),
        );
      return new Set(rows.map((row) => row.payableFen));
    },

    /**
     * Inserts the order at the first payable amount no pending order holds, trying `candidates` in
     * order. A transaction-scoped advisory lock per amount lets concurrent allocations (from any process)
     * skip an amount another is claiming instead of queueing behind it; the partial unique index still
     * decides every race (a conflicting insert does nothing). Null: every amount is taken.
     */
    async insertAtFreeAmount(
      order: Omit<typeof orders.$inferInsert, 'payableFen'>,
      candidates: readonly number[],
    ): Promise<OrderRow | null> {
      const taken = await this.takenPayableAmounts(candidates);
      for (const payableFen of candidates) {
        if (taken.has(payableFen) || !(await claimAmount(payableFen))) continue;
        const [row] = await db
          .insert(orders)
          .values({ ...order, payableFen })
          .onConflictDoNothing({ target: orders.payableFen, where: sql`status = 'pending'` })
          .returning();
        if (row) return row;
      }
      return null;
    },

    async findByNumber(orderNo: string): Promise<OrderRow | null> {
      const [row] = await db.select().from(orders).where(eq(orders.orderNo, orderNo));
      return row ?? null;
    },

    /**
     * The orders a payment could be for, in one query: those the memo may name (`orderNos`, any status),
     * and those open for `amountFen` around `at` — pending, or closed within the last day. Orders created
     * after the payment cannot be the one it paid — up to NOTIFICATION_TIME_SLACK_MS, because notification
     * times have one-second resolution and come from the phone's clock.
     */
    async findCandidates(orderNos: readonly string[], amountFen: number, at: Date): Promise<OrderRow[]> {
      const dayBefore = new Date(at.getTime() - 86_400_000);
      const createdBy = new Date(at.getTime() + NOTIFICATION_TIME_SLACK_MS);
      const sameAmount = and(
        eq(orders.payableFen, amountFen),
        lte(orders.createdAt, createdBy),
        sql`(${orders.status} = 'pending' or (${orders.status} in ('expired','cancelled') and ${gte(orders.expiresAt, dayBefore)}))`,
      );
      return db
        .select()
        .from(orders)
        .where(orderNos.length > 0 ? or(inArray(orders.orderNo, [...orderNos]), sameAmount) : sameAmount);
    },

    /** Conditional transition: succeeds for exactly one caller, however many race for it. */
    async transition(
      id: number,
      from: OrderStatus | readonly OrderStatus[],
      to: OrderStatus,
      at: Date,
    ): Promise<OrderRow | null> {
      const fromStatuses: OrderStatus[] = typeof from === 'string' ? [from] : [...from];
      const [row] = await db
        .update(orders)
        .set({ status: to, closedAt: at })
        .where(and(eq(orders.id, id), inArray(orders.status, fromStatuses)))
        .returning();
      return row ?? null;
    },

    async pendingOfCustomer(customerId: number): Promise<OrderRow[]> {
      return db
        .select()
        .from(orders)
        .where(and(eq(orders.customerId, customerId), eq(orders.status, 'pending')))
        .orderBy(desc(orders.createdAt));
    },

    /** The customer's latest orders, newest first, whatever their status. */
    async latestOfCustomer(customerId: number, limit: number): Promise<OrderRow[]> {
      return db
        .select()
        .from(orders)
        .where(eq(orders.customerId, customerId))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit);
    },

    /**
     * Marks pending orders whose expiry is before `now` expired and returns them. The conditional
     * update makes concurrent sweeps (and a credit racing a sweep) each win an order at most once.
     */
    async expireDue(now: Date): Promise<OrderRow[]> {
      return db
        .update(orders)
        .set({ status: 'expired', closedAt: now })
        .where(and(eq(orders.status, 'pending'), lt(orders.expiresAt, now)))
        .returning();
    },
  };
}
