// Order creation: each customer's orders as the limits count them, and orders inserted at free payable amounts.
import { and, eq, gt, inArray, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../shared/db/database.ts';
import { customers, orders } from '../../shared/db/schema.ts';
import type { CustomerChannel } from '../customers/customer.models.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { freePayableAmounts } from './free-payable-amounts.ts';
import type { Order } from './order.models.ts';
import type { OrderUsage } from './order-limits.ts';
import type { PayableWindow } from './payable-amount.ts';

/** ORDER_TTL_SECONDS at most (src/shared/config/config.ts). */
const MAX_ORDER_TTL_MS = 86_400_000;

export function createOrderCreationRepository({ db }: { db: Db }) {
  return {
    usageOf: (customerIds: readonly number[], since: Date) =>
      customerIds.length === 0
        ? Promise.resolve(new Map())
        : usageOf(db, inArray(orders.customerId, [...customerIds]), since),
    /**
     * The same, for customers named by channel and external id (keyed by their customer ids): it can be sent
     * together with the upsert that creates them, and runs after it on the transaction's connection.
     */
    usageOfIdentities: (channel: CustomerChannel, externalIds: readonly string[], since: Date) =>
      externalIds.length === 0
        ? Promise.resolve(new Map())
        : usageOf(db, inArray(orders.customerId, customerIdsOf(db, channel, externalIds)), since),
    insertAtFreeAmounts: (group: AmountGroup, wanted: readonly WantedOrder[], window: PayableWindow) =>
      insertAtFreeAmounts(db, group, wanted, window),
  };
}

/** Orders of one requested amount and provider, made at one moment. */
export interface AmountGroup {
  requestedFen: number;
  /** Amounts are unique per provider; null: the payee has one collection code ("any"). */
  provider: Provider | null;
  createdAt: Date;
  expiresAt: Date;
}

interface WantedOrder {
  orderNo: string;
  customerId: number;
}

/** Each customer's pending orders, and unpaid orders created and orders cancelled after `since` (customers with none are absent). */
async function usageOf(db: Db, ofCustomers: SQL, since: Date): Promise<Map<number, OrderUsage>> {
  const recentUnpaid = and(gt(orders.createdAt, since), notInArray(orders.status, ['paid', 'refunded']));
  const recentlyCancelled = and(eq(orders.status, 'cancelled'), gt(orders.closedAt, since));
  const rows = await db
    .select({
      customerId: orders.customerId,
      pending: sql<number>`(count(*) filter (where ${orders.status} = 'pending'))::int`,
      created: sql<number>`(count(*) filter (where ${recentUnpaid}))::int`,
      oldestCreatedAt: sql<string | null>`min(${orders.createdAt}) filter (where ${recentUnpaid})`,
      cancelled: sql<number>`(count(*) filter (where ${recentlyCancelled}))::int`,
      oldestCancelledAt: sql<string | null>`min(${orders.closedAt}) filter (where ${recentlyCancelled})`,
    })
    .from(orders)
    .where(
      and(
        ofCustomers,
        // Only orders that can count: an order is cancellable for at most ORDER_TTL_SECONDS (≤ a day).
        or(eq(orders.status, 'pending'), gt(orders.createdAt, new Date(since.getTime() - MAX_ORDER_TTL_MS))),
      ),
    )
    .groupBy(orders.customerId);
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return new Map(
    rows.map((row) => [
      row.customerId,
      {
        pending: row.pending,
        created: row.created,
        oldestCreatedAt: date(row.oldestCreatedAt),
        cancelled: row.cancelled,
        oldestCancelledAt: date(row.oldestCancelledAt),
      },
    ]),
  );
}

/** The ids of a channel's customers, by external id, as a subquery. */
function customerIdsOf(db: Db, channel: CustomerChannel, externalIds: readonly string[]) {
  return db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.channel, channel), inArray(customers.externalId, [...externalIds])));
}

/**
 * Inserts the orders (one requested amount, one moment) at the first free amounts of `window`, in
 * one statement: the first order at the first free amount, and so on (free-payable-amounts.ts). Returns the
 * orders inserted: those missing found no free amount (or collided), and may try again.
 */
async function insertAtFreeAmounts(
  db: Db,
  group: AmountGroup,
  wanted: readonly WantedOrder[],
  window: PayableWindow,
): Promise<Order[]> {
  if (wanted.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    order_no: string;
    customer_id: string;
    payable_fen: number;
  }>(
    db,
    sql`insert into orders (order_no, customer_id, requested_fen, payable_fen, provider, created_at, expires_at)
        select w.order_no, w.customer_id, ${group.requestedFen}, f.fen, ${group.provider},
               ${group.createdAt.toISOString()}::timestamptz, ${group.expiresAt.toISOString()}::timestamptz
        from (
          select fen, row_number() over (order by rank) as k
          from (${freePayableAmounts(group.provider, window, wanted.length)}) free
        ) f
        join unnest(
          string_to_array(${wanted.map((w) => w.orderNo).join(',')}, ','),
          string_to_array(${wanted.map((w) => w.customerId).join(',')}, ',')::bigint[]
        ) with ordinality as w(order_no, customer_id, k) on w.k = f.k
        on conflict ((coalesce(provider, 'any')), payable_fen) where status = 'pending' do nothing
        returning id::text as id, order_no, customer_id::text as customer_id, payable_fen`,
  );
  return rows.map((row) => ({
    id: Number(row.id),
    orderNo: row.order_no,
    customerId: Number(row.customer_id),
    requestedFen: group.requestedFen,
    payableFen: row.payable_fen,
    status: 'pending',
    provider: group.provider,
    createdAt: group.createdAt,
    expiresAt: group.expiresAt,
    closedAt: null,
  }));
}
