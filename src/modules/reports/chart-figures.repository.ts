// The health chart's figures for one period (a local day): credits, payments in review, missed ones found
// by statements, and the median arrival → credit latency of automatic credits.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { ledgerEntries, messages, payments } from '../../shared/db/schema.ts';

const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;
const within = (column: unknown, from: Date, to: Date) =>
  sql`${column} >= ${ts(from)} and ${column} < ${ts(to)}`;

export function createChartFiguresRepository({ db }: { db: Db }) {
  return {
    async day(from: Date, to: Date) {
      const seconds = sql`greatest(0, extract(epoch from (${ledgerEntries.createdAt} - coalesce(${messages.receivedAt}, ${payments.processedAt}))))`;
      const [credits] = await db
        .select({
          credited: sql<string>`count(*)`,
          latency: sql<
            string | null
          >`percentile_cont(0.5) within group (order by ${seconds}) filter (where ${ledgerEntries.actor} like 'auto:%')`,
        })
        .from(ledgerEntries)
        .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(and(eq(ledgerEntries.kind, 'credit'), within(ledgerEntries.createdAt, from, to)));
      const [seen] = await db
        .select({
          inReview: sql<string>`count(*) filter (where ${payments.status} = 'review' and ${messages.source} <> 'statement' and ${within(payments.processedAt, from, to)})`,
          missed: sql<string>`count(*) filter (where ${messages.source} = 'statement' and ${within(payments.notifiedAt, from, to)})`,
        })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(eq(payments.parseKind, 'payment'));
      return {
        credited: Number(credits?.credited ?? 0),
        inReview: Number(seen?.inReview ?? 0),
        missed: Number(seen?.missed ?? 0),
        latencySeconds: credits?.latency == null ? null : Math.round(Number(credits.latency)),
      };
    },
  };
}
