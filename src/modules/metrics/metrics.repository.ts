// The figures /metrics serves, read from the database at scrape time: the same on every instance, and
// right after a restart (no counter to rebuild). Aggregate them across instances with max(), not sum().
import { sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/database.ts';

export interface MetricFigures {
  paymentsByStatus: Array<{ status: string; n: number }>;
  credits: number;
  reviewQueue: number;
  outboxBacklog: number;
}

export function createMetricsRepository(database: Database) {
  return {
    async figures(): Promise<MetricFigures> {
      const paymentsByStatus = await database.rows<{ status: string; n: number }>(
        sql`select status, count(*)::int as n from payments group by status order by status`,
      );
      const [counts] = await database.rows<{ credits: number; review: number; backlog: number }>(
        sql`select (select count(*)::int from ledger_entries where kind = 'credit') as credits,
                   (select count(*)::int from payments where status = 'review') as review,
                   (select count(*)::int from outbox where status = 'pending') as backlog`,
      );
      return {
        paymentsByStatus,
        credits: counts?.credits ?? 0,
        reviewQueue: counts?.review ?? 0,
        outboxBacklog: counts?.backlog ?? 0,
      };
    },

    /** Automatic credits after ledger entry `afterId`: their id and seconds from mail arrival to credit. */
    async creditLatencies(afterId: number): Promise<Array<{ id: number; seconds: number }>> {
      return database.rows<{ id: number; seconds: number }>(
        sql`select l.id::bigint::float8 as id,
                   greatest(0, extract(epoch from (l.created_at - coalesce(m.received_at, p.processed_at))))::float8
                     as seconds
            from ledger_entries l join payments p on p.id = l.payment_id join messages m on m.id = p.message_id
            where l.kind = 'credit' and l.actor like 'auto:%' and l.id > ${afterId}
            order by l.id limit 10000`,
      );
    },

    async lastLedgerId(): Promise<number> {
      const [row] = await database.rows<{ id: number }>(
        sql`select coalesce(max(id), 0)::float8 as id from ledger_entries`,
      );
      return row?.id ?? 0;
    },
  };
}
