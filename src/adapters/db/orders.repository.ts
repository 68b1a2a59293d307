// Orders: creation with a unique payable amount, look-ups for matching, status transitions.
import { and, between, count, desc, eq, gte, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { CLOSED_ORDER_LOOKBACK_MS, NOTIFICATION_TIME_SLACK_MS } from '../../domain/matching.ts';
import { type Db, queryRows } from './database.ts';
import { type OrderStatus, orders } from './schema.ts';

export type OrderRow = typeof orders.$inferSelect;

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
     * Every order a run of payments could be for, in one query: those the memos may name (`orderNos`, any
     * status), and those of a paid amount pending or closed around the payment times (`from`–`to`). A
     * superset: `wasPayableAround` decides which belong to each payment.
     */
    async findCandidates(query: {
      orderNos: readonly string[];
      amountsFen: readonly number[];
      from: Date;
      to: Date;
    }): Promise<OrderRow[]> {
      const closedSince = new Date(query.from.getTime() - CLOSED_ORDER_LOOKBACK_MS);
      const createdBy = new Date(query.to.getTime() + NOTIFICATION_TIME_SLACK_MS);
      const named = query.orderNos.length > 0 ? inArray(orders.orderNo, [...query.orderNos]) : undefined;
      const ofAmount =
        query.amountsFen.length > 0
          ? and(
              inArray(orders.payableFen, [...query.amountsFen]),
              lte(orders.createdAt, createdBy),
              or(
                eq(orders.status, 'pending'),
                and(inArray(orders.status, ['expired', 'cancelled']), gte(orders.expiresAt, closedSince)),
              ),
            )
          : undefined;
      if (!named && !ofAmount) return [];
      return db.select().from(orders).where(or(named, ofAmount));
    },

    /** Conditional transition: succeeds for exactly one caller, however many race for it. */
    async transition(
      id: number,
      from: OrderStatus | readonly OrderStatus[],
      to: OrderStatus,
      at: Date,
    ): Promise<OrderRow | null> {
      const [row] = await this.transitionAll([id], from, to, at);
      return row ?? null;
    },

    /** `transition` for several orders in one statement: returns those it moved. */
    async transitionAll(
      ids: readonly number[],
      from: OrderStatus | readonly OrderStatus[],
      to: OrderStatus,
      at: Date,
    ): Promise<OrderRow[]> {
      if (ids.length === 0) return [];
      const fromStatuses: OrderStatus[] = typeof from === 'string' ? [from] : [...from];
      return db
        .update(orders)
        .set({ status: to, closedAt: at })
        .where(and(inArray(orders.id, [...ids]), inArray(orders.status, fromStatuses)))
        .returning();
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
