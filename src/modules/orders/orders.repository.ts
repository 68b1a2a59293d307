// Orders: look-ups for customers, admins and matching, with creation and status changes from their own files.
import { and, desc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { orders } from '../../shared/db/schema.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import type { Order } from './order.models.ts';
import { createOrderCreationRepository } from './order-creation.repository.ts';
import { createOrderProviderRepository } from './order-provider.repository.ts';
import { createOrderTransitionsRepository } from './order-transitions.repository.ts';

/** The time window the matcher looks for orders in (matching.ts `candidateWindow`). */
export interface CandidateWindow {
  createdBy: Date;
  expiringFrom: Date;
}

export function createOrdersRepository({ db }: { db: Db }) {
  return {
    ...createOrderCreationRepository({ db }),
    ...createOrderProviderRepository({ db }),
    ...createOrderTransitionsRepository({ db }),
    ...createOrderLookups({ db }),
    ...createCandidateLookups({ db }),
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

/** Orders a payment may be for, read by amount and time window only: the matcher decides which. */
function createCandidateLookups({ db }: { db: Db }) {
  const inWindow = (window: CandidateWindow) =>
    and(lte(orders.createdAt, window.createdBy), gte(orders.expiresAt, window.expiringFrom));
  return {
    /**
     * Every order a run of payments could be for, in one query: those the memos may name (`orderNos`, any
     * status and provider), and those of a paid amount in the time window that one of the payments'
     * `providers` can pay (its own, or either). A superset: the matcher decides.
     */
    async findCandidates(
      query: {
        orderNos: readonly string[];
        amountsFen: readonly number[];
        providers: readonly string[];
      } & CandidateWindow,
    ) {
      const named = query.orderNos.length > 0 ? inArray(orders.orderNo, [...query.orderNos]) : undefined;
      const payable =
        query.providers.length > 0
          ? or(isNull(orders.provider), inArray(orders.provider, [...query.providers] as Provider[]))
          : isNull(orders.provider);
      const ofAmount =
        query.amountsFen.length > 0
          ? and(inArray(orders.payableFen, [...query.amountsFen]), payable, inWindow(query))
          : undefined;
      if (!named && !ofAmount) return [];
      const rows: Order[] = await db.select().from(orders).where(or(named, ofAmount));
      return rows;
    },

    /** The orders payable between `lowestFen` and `highestFen` in the time window: an admin card's likely ones. */
    async findAround(query: { lowestFen: number; highestFen: number } & CandidateWindow): Promise<Order[]> {
      return db
        .select()
        .from(orders)
        .where(
          and(
            gte(orders.payableFen, query.lowestFen),
            lte(orders.payableFen, query.highestFen),
            inWindow(query),
          ),
        );
    },
  };
}

function createOrderLookups({ db }: { db: Db }) {
  return {
    async findByIds(ids: readonly number[]): Promise<Order[]> {
      if (ids.length === 0) return [];
      return db
        .select()
        .from(orders)
        .where(inArray(orders.id, [...ids]));
    },

    async findById(id: number): Promise<Order | null> {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      return row ?? null;
    },

    async findByNumber(orderNo: string): Promise<Order | null> {
      const [row] = await db.select().from(orders).where(eq(orders.orderNo, orderNo));
      return row ?? null;
    },

    async pendingOfCustomer(customerId: number): Promise<Order[]> {
      return db
        .select()
        .from(orders)
        .where(and(eq(orders.customerId, customerId), eq(orders.status, 'pending')))
        .orderBy(desc(orders.createdAt));
    },

    /** The customer's latest orders, newest first, whatever their status. */
    async latestOfCustomer(customerId: number, limit: number): Promise<Order[]> {
      return db
        .select()
        .from(orders)
        .where(eq(orders.customerId, customerId))
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(limit);
    },
  };
}
