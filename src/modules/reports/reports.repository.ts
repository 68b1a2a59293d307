// Read-only figures for /stats, /health and the health report, and the facts the alarms watch.
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { alarms, ledgerEntries, messages, orders, payments } from '../../shared/db/schema.ts';
import type { PeriodFigures } from '../notify/admin-texts.ts';

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;
const int = (expression: ReturnType<typeof sql>) => sql<number>`coalesce((${expression}), 0)::bigint`;

export function createReportsRepository({ db }: { db: Db }) {
  return {
    async period(from: Date, to: Date): Promise<PeriodFigures> {
      const within = (column: unknown) => sql`${column} >= ${ts(from)} and ${column} < ${ts(to)}`;
      const [o] = await db
        .select({
          created: int(sql`count(*) filter (where ${within(orders.createdAt)})`),
          paid: int(
            sql`count(*) filter (where ${orders.status} in ('paid','refunded') and ${within(orders.closedAt)})`,
          ),
          expired: int(
            sql`count(*) filter (where ${orders.status} = 'expired' and ${within(orders.closedAt)})`,
          ),
        })
        .from(orders);
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
        ordersCreated: n(o?.created),
        ordersPaid: n(o?.paid),
        ordersExpired: n(o?.expired),
        payments: n(p?.all),
        paymentsMatched: n(p?.matched),
        paymentsAutoMatched: n(p?.auto),
        paymentsInReview: n(p?.review),
        paymentsRejected: n(p?.rejected),
        paymentsRefunded: n(p?.refunded),
        receivedFen: n(p?.received),
        creditedFen: n(l?.credited),
      };
    },

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

    async failedMessagesSince(from: Date): Promise<number> {
      const [row] = await db
        .select({ n: int(sql`count(*)`) })
        .from(payments)
        .where(and(eq(payments.status, 'failed'), sql`${payments.processedAt} >= ${ts(from)}`));
      return Number(row?.n ?? 0);
    },

    /** Trusted-sender mail no rule parsed since the last payment notification that parsed. */
    async unparsedSinceLastParse(): Promise<{ count: number; subject: string | null }> {
      const lastParsed = db
        .select({ id: sql`coalesce(max(${payments.id}), 0)` })
        .from(payments)
        .where(eq(payments.parseKind, 'payment'));
      const rows = await db
        .select({ subject: messages.subject })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(
          and(
            eq(payments.parseKind, 'unparsed'),
            eq(payments.status, 'failed'),
            gt(payments.id, sql`(${lastParsed})`),
          ),
        )
        .orderBy(sql`${payments.id} desc`);
      return { count: rows.length, subject: rows[0]?.subject ?? null };
    },

    /** The first unpaid order created after the last payment notification: customers have waited since then. */
    async waitingSince(): Promise<Date | null> {
      const lastNotification = db
        .select({ at: sql`coalesce(max(${payments.processedAt}), '-infinity'::timestamptz)` })
        .from(payments)
        .where(eq(payments.parseKind, 'payment'));
      const [row] = await db
        .select({ at: sql<string | null>`min(${orders.createdAt})` })
        .from(orders)
        .where(
          and(
            sql`${orders.status} in ('pending','expired')`,
            sql`${orders.createdAt} > (${lastNotification})`,
          ),
        );
      return row?.at ? new Date(row.at) : null;
    },

    async activeAlarms(): Promise<string[]> {
      const rows = await db.select({ name: alarms.name }).from(alarms).where(eq(alarms.active, true));
      return rows.map((row) => row.name);
    },

    /** Moves an alarm to `active`; true for exactly one caller per change, so each change is announced once. */
    async setAlarm(name: string, active: boolean, at: Date): Promise<boolean> {
      await db.insert(alarms).values({ name, active: false }).onConflictDoNothing();
      const changed = await db
        .update(alarms)
        .set({ active, since: at, updatedAt: at })
        .where(and(eq(alarms.name, name), eq(alarms.active, !active)))
        .returning({ name: alarms.name });
      return changed.length > 0;
    },
  };
}
