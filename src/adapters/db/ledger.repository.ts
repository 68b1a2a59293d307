// Ledger entries: every change of a balance, with its reason; credits are unique per payment and per order.
import { eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { customers, ledgerEntries } from './schema.ts';

export function createLedgerRepository({ db }: { db: Db }) {
  return {
    async append(entry: typeof ledgerEntries.$inferInsert): Promise<void> {
      await db.insert(ledgerEntries).values(entry);
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
  };
}
