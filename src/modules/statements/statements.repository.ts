// What reconciliation reads: the payments the monitor recorded for one provider around a period.
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { messages, payments } from '../../shared/db/schema.ts';
import { paidAtFrom } from '../payments/matching.ts';
import type { RecordedPayment } from './reconcile.ts';

/** Every status a payment that carried an amount can have. */
const RECORDED = ['matched', 'review', 'held', 'rejected', 'refunded'] as const;

export function createStatementsRepository({ db }: { db: Db }) {
  return {
    /** When the monitor recorded its first message: nothing before it can have been seen. Null before any. */
    async monitoringSince(): Promise<Date | null> {
      const [row] = await db
        .select({ at: sql<string | null>`min(${payments.processedAt})` })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(sql`${messages.source} <> 'statement'`);
      return row?.at ? new Date(row.at) : null;
    },
    async recordedAround(provider: string, from: Date, to: Date): Promise<RecordedPayment[]> {
      const at = sql`coalesce(${payments.notifiedAt}, ${messages.receivedAt}, ${payments.processedAt})`;
      const rows = await db
        .select({
          id: payments.id,
          amountFen: payments.amountFen,
          transactionId: payments.transactionId,
          notifiedAt: payments.notifiedAt,
          arrivedAt: sql<string>`coalesce(${messages.receivedAt}, ${payments.processedAt})`.mapWith(
            (value: string | Date) => new Date(value),
          ),
          source: messages.source,
          status: payments.status,
          decidedBy: payments.decidedBy,
        })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(
          and(
            eq(payments.provider, provider),
            isNotNull(payments.amountFen),
            inArray(payments.status, [...RECORDED]),
            // A bare expression has no column type to map a Date: pass instants as timestamptz text.
            sql`${at} >= ${from.toISOString()}::timestamptz`,
            sql`${at} <= ${to.toISOString()}::timestamptz`,
          ),
        );
      return rows.map((row) => ({
        id: row.id,
        amountFen: row.amountFen ?? 0,
        transactionId: row.transactionId,
        paidAt: paidAtFrom(row.notifiedAt, row.arrivedAt),
        source: row.source,
        autoCredited: row.status === 'matched' && row.decidedBy === null,
      }));
    },
  };
}
