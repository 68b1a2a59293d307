// The balance API's ledger: a customer's totals and pages, and debit entries.
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { ledgerEntries, orders } from '../../shared/db/schema.ts';

export interface LedgerTotals {
  creditedFen: number;
  debitedFen: number;
  refundedFen: number;
  adjustedFen: number;
}

const below = (id: number) => lt(ledgerEntries.id, id);
const sumOf = (kind: string) =>
  sql<string>`coalesce(sum(${ledgerEntries.amountFen}) filter (where ${ledgerEntries.kind} = ${kind}), 0)::text`;

export function createBalanceApiRepository({ db }: { db: Db }) {
  return {
    /** Credits, debits, refunds (the latter two as positive amounts) and the net of admins' adjustments. */
    async totalsOf(customerId: number): Promise<LedgerTotals> {
      const [row] = await db
        .select({
          credit: sumOf('credit'),
          debit: sumOf('debit'),
          refund: sumOf('refund'),
          adjustment: sumOf('adjustment'),
        })
        .from(ledgerEntries)
        .where(eq(ledgerEntries.customerId, customerId));
      return {
        creditedFen: Number(row?.credit ?? 0),
        debitedFen: -Number(row?.debit ?? 0),
        refundedFen: -Number(row?.refund ?? 0),
        adjustedFen: Number(row?.adjustment ?? 0),
      };
    },

    /** The customer's entries, newest first, those with an id below `before` (when given), `limit` at most. */
    async pageOf(customerId: number, limit: number, before: number | null) {
      return db
        .select({
          id: ledgerEntries.id,
          kind: ledgerEntries.kind,
          amountFen: ledgerEntries.amountFen,
          orderNo: orders.orderNo,
          note: ledgerEntries.note,
          createdAt: ledgerEntries.createdAt,
        })
        .from(ledgerEntries)
        .leftJoin(orders, eq(orders.id, ledgerEntries.orderId))
        .where(and(eq(ledgerEntries.customerId, customerId), before === null ? undefined : below(before)))
        .orderBy(desc(ledgerEntries.id))
        .limit(limit);
    },

    async appendDebit(debit: { customerId: number; amountFen: number; reason: string; at: Date }) {
      const [row] = await db
        .insert(ledgerEntries)
        .values({
          customerId: debit.customerId,
          amountFen: -debit.amountFen,
          kind: 'debit',
          note: debit.reason,
          actor: 'api',
          createdAt: debit.at,
        })
        .returning({ id: ledgerEntries.id });
      if (!row) throw new Error('debit entry not inserted');
      return row.id;
    },
  };
}
