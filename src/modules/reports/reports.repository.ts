// Read-only figures for /stats, /health and the health report.
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers, ledgerEntries, messages, orders, payments } from '../../shared/db/schema.ts';
import type { PeriodFigures } from '../notify/admin-texts.ts';

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;
const int = (expression: ReturnType<typeof sql>) => sql<number>`coalesce((${expression}), 0)::bigint`;

export function createReportsRepository({ db }: { db: Db }) {
  return {
    /** Orders, payments and credits between `from` and `to`. */
    period: (from: Date, to: Date) => period(db, from, to),

    /** Seconds from the mailbox's arrival time to the automatic credit, for credits made since `from`. */
    async creditLatency(from: Date): Promise<{ median: number | null; worst: number | null }> {
      const seconds = sql`greatest(0, extract(epoch from (${ledgerEntries.createdAt} - coalesce(${messages.receivedAt}, ${payments.processedAt}))))`;
      const [row] = await db
        .select({
          median: sql<string | null>`percentile_cont(0.5) within group (order by ${seconds})`,
          worst: sql<string | null>`max(${seconds})`,
        })
        .from(ledgerEntries)
        .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(
          and(
            eq(ledgerEntries.kind, 'credit'),
            sql`${ledgerEntries.actor} like 'auto:%'`,
            sql`${ledgerEntries.createdAt} >= ${ts(from)}`,
          ),
        );
      const num = (value: string | null | undefined) => (value == null ? null : Number(value));
      return { median: num(row?.median), worst: num(row?.worst) };
    },

    async lastMessageAt(): Promise<Date | null> {
      const [row] = await db.select({ at: sql<string | null>`max(${payments.processedAt})` }).from(payments);
      return row?.at ? new Date(row.at) : null;
    },

    /** When the last payment notification from `source` was recorded. */
    async lastNotificationAt(source: string): Promise<Date | null> {
      const [row] = await db
        .select({ at: sql<string | null>`max(${payments.processedAt})` })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(and(eq(messages.source, source), eq(payments.parseKind, 'payment')));
      return row?.at ? new Date(row.at) : null;
    },

    async failedMessagesSince(from: Date): Promise<number> {
      const [row] = await db
        .select({ n: int(sql`count(*)`) })
        .from(payments)
        .where(and(eq(payments.status, 'failed'), sql`${payments.processedAt} >= ${ts(from)}`));
      return Number(row?.n ?? 0);
    },
  };
}

export type ReportsRepository = ReturnType<typeof createReportsRepository>;

async function period(db: Db, from: Date, to: Date): Promise<PeriodFigures> {
  const within = (column: unknown) => sql`${column} >= ${ts(from)} and ${column} < ${ts(to)}`;
  const orderFigures = (channel: SQL) => ({
    created: int(sql`count(*) filter (where ${channel} and ${within(orders.createdAt)})`),
    paid: int(
      sql`count(*) filter (where ${channel} and ${orders.status} in ('paid','refunded') and ${within(orders.closedAt)})`,
    ),
    expired: int(
      sql`count(*) filter (where ${channel} and ${orders.status} = 'expired' and ${within(orders.closedAt)})`,
    ),
  });
  const [o] = await db
    .select({
      telegram: orderFigures(sql`${customers.channel} <> 'shop'`),
      shop: orderFigures(sql`${customers.channel} = 'shop'`),
    })
    .from(orders)
    .innerJoin(customers, eq(customers.id, orders.customerId));
  const [p] = await db
    .select({
      all: int(sql`count(*)`),
      matched: int(sql`count(*) filter (where ${payments.status} = 'matched')`),
      auto: int(
        sql`count(*) filter (where ${payments.status} = 'matched' and ${payments.decidedBy} is null)`,
      ),
      review: int(sql`count(*) filter (where ${payments.status} = 'review')`),
      rejected: int(sql`count(*) filter (where ${payments.status} = 'rejected')`),
      refunded: int(sql`count(*) filter (where ${payments.status} = 'refunded')`),
      received: int(sql`sum(${payments.amountFen})`),
    })
    .from(payments)
    .where(and(eq(payments.parseKind, 'payment'), within(payments.processedAt)));
  const [l] = await db
    .select({ credited: int(sql`sum(${ledgerEntries.amountFen})`) })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.kind, 'credit'), within(ledgerEntries.createdAt)));
  const n = (value: number | string | undefined) => Number(value ?? 0);
  return {
    ordersCreated: n(o?.telegram.created),
    ordersPaid: n(o?.telegram.paid),
    ordersExpired: n(o?.telegram.expired),
    shopOrdersCreated: n(o?.shop.created),
    shopOrdersPaid: n(o?.shop.paid),
    shopOrdersExpired: n(o?.shop.expired),
    payments: n(p?.all),
    paymentsMatched: n(p?.matched),
    paymentsAutoMatched: n(p?.auto),
    paymentsInReview: n(p?.review),
    paymentsRejected: n(p?.rejected),
    paymentsRefunded: n(p?.refunded),
    receivedFen: n(p?.received),
    creditedFen: n(l?.credited),
  };
}
