// Ledger entries: every change of a balance, with its reason; credits are unique per payment and per order.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers, ledgerEntries, orders } from '../../shared/db/schema.ts';

type LedgerEntry = typeof ledgerEntries.$inferInsert;

export function createLedgerRepository({ db }: { db: Db }) {
  return {
    async append(entry: LedgerEntry): Promise<void> {
      await this.appendAll([entry]);
    },

    async appendAll(entries: readonly LedgerEntry[]): Promise<void> {
      if (entries.length > 0) await db.insert(ledgerEntries).values([...entries]);
    },

    /** The credit an order received (one at most, by constraint). */
    async creditOf(orderId: number) {
      const [row] = await db
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, 'credit')));
      return row ?? null;
    },

    async entriesOf(customerId: number) {
      return db.select().from(ledgerEntries).where(eq(ledgerEntries.customerId, customerId));
    },

    /** Customers whose balance differs from the sum of their ledger entries (should always be none). */
    async balanceMismatches(): Promise<number[]> {
      const rows = await db
        .select({ id: customers.id })
        .from(customers)
        .leftJoin(ledgerEntries, eq(ledgerEntries.customerId, customers.id))
        .groupBy(customers.id, customers.balanceFen)
        .having(sql`${customers.balanceFen} <> coalesce(sum(${ledgerEntries.amountFen}), 0)`);
      return rows.map((row) => row.id);
    },

    /** Orders credited more than once — by two credit entries or two matched payments (should always be none). */
    async ordersPaidTwice(): Promise<string[]> {
      const rows = await db
        .select({ orderNo: orders.orderNo })
        .from(orders)
        .where(
          sql`(select count(*) from ledger_entries l where l.order_id = ${orders.id} and l.kind = 'credit') > 1
           or (select count(*) from payments p where p.order_id = ${orders.id} and p.status = 'matched') > 1`,
        )
        .orderBy(orders.id);
      return rows.map((row) => row.orderNo);
    },
  };
}
