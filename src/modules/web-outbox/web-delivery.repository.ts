// The sender's side of the HTTP outbox: what a claimed delivery sends, each try recorded, and the delivery
// marked delivered, retried or failed — only while the claim's lease still holds.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { orders, shopOrders, webDeliveries, webDeliveryAttempts } from '../../shared/db/schema.ts';
import type { ShopCallbackOrder } from '../epay/shop-callback.ts';
import { type ClaimedDelivery, type ClaimRequest, claimDueDeliveries } from './web-delivery-claim.ts';

export interface DeliveryAttempt {
  at: Date;
  durationMs: number;
  httpStatus: number | null;
  outcome: string;
  detail: string | null;
}

export type ShopNotify = ShopCallbackOrder & { notifyUrl: string };

export function createWebDeliveryRepository({ db }: { db: Db }) {
  return { ...createDeliveryLookups({ db }), ...createDeliveryMarks({ db }) };
}

function createDeliveryLookups({ db }: { db: Db }) {
  return {
    claimDue: (request: ClaimRequest) => claimDueDeliveries(db, request),

    /** What the notify of a paid shop order is made of: what the shop sent, and the order it became. */
    async shopNotifyOf(orderId: number): Promise<ShopNotify | null> {
      const [row] = await db
        .select({
          pid: shopOrders.pid,
          tradeNo: orders.orderNo,
          outTradeNo: shopOrders.outTradeNo,
          type: shopOrders.type,
          provider: orders.provider,
          name: shopOrders.name,
          money: shopOrders.money,
          param: shopOrders.param,
          notifyUrl: shopOrders.notifyUrl,
        })
        .from(shopOrders)
        .innerJoin(orders, eq(orders.id, shopOrders.orderId))
        .where(eq(shopOrders.orderId, orderId));
      return row ?? null;
    },

    /** The order's latest notify made pending again with its tries reset (due at once); null when it has none. */
    async requeueNotifyOf(orderId: number, now: Date): Promise<number | null> {
      const [latest] = await db
        .select({ id: webDeliveries.id })
        .from(webDeliveries)
        .where(and(eq(webDeliveries.orderId, orderId), eq(webDeliveries.kind, 'shop_notify')))
        .orderBy(desc(webDeliveries.id))
        .limit(1);
      if (!latest) return null;
      await db
        .update(webDeliveries)
        .set({
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          lastError: null,
          deliveredAt: null,
        })
        .where(eq(webDeliveries.id, latest.id));
      return latest.id;
    },
  };
}

function createDeliveryMarks({ db }: { db: Db }) {
  const held = (delivery: Pick<ClaimedDelivery, 'id' | 'leaseUntil'>) =>
    and(eq(webDeliveries.id, delivery.id), eq(webDeliveries.leaseUntil, delivery.leaseUntil));
  /** Ends a try under its lease: counts it, frees the lease and sets what the try's end says. */
  const endTry = async (
    delivery: ClaimedDelivery,
    set: Partial<
      Pick<typeof webDeliveries.$inferInsert, 'status' | 'deliveredAt' | 'nextAttemptAt' | 'lastError'>
    >,
  ): Promise<boolean> => {
    const rows = await db
      .update(webDeliveries)
      .set({ ...set, leaseUntil: null, attempts: sql`${webDeliveries.attempts} + 1` })
      .where(held(delivery))
      .returning({ id: webDeliveries.id });
    return rows.length > 0;
  };

  return {
    async recordAttempt(deliveryId: number, attempt: DeliveryAttempt): Promise<void> {
      await db.insert(webDeliveryAttempts).values({ deliveryId, ...attempt });
    },

    /** Each returns whether the lease still held (else another claim owns the delivery now). */
    markDelivered: (delivery: ClaimedDelivery, at: Date) =>
      endTry(delivery, { status: 'delivered', deliveredAt: at, lastError: null }),
    markRetry: (delivery: ClaimedDelivery, nextAttemptAt: Date, error: string) =>
      endTry(delivery, { nextAttemptAt, lastError: error }),
    markFailed: (delivery: ClaimedDelivery, error: string) =>
      endTry(delivery, { status: 'failed', lastError: error }),

    /** Gives a claim back untried (the service is stopping): claimable again at once. */
    async release(delivery: ClaimedDelivery): Promise<void> {
      await db.update(webDeliveries).set({ leaseUntil: null }).where(held(delivery));
    },
  };
}

export type WebDeliveryRepository = ReturnType<typeof createWebDeliveryRepository>;
