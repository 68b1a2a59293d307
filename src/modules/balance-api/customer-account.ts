// Use cases: a customer's balance with the totals of their ledger, and their ledger page by page (newest first).
import type { Store } from '../../shared/db/store.ts';
import { formatFen } from '../../shared/money.ts';
import { customerRef } from '../events/event-bodies.ts';
import type { CustomerIdentity } from './api-input.ts';

export const LEDGER_PAGE = { default: 50, max: 100 } as const;

export function createCustomerAccount({ store }: { store: Pick<Store, 'customers' | 'balanceApi'> }) {
  const find = (identity: CustomerIdentity) =>
    store.customers.findByIdentity(identity.channel, identity.externalId);
  return {
    /** The balance and what made it: credited − debited − refunded + adjusted; null for an unknown customer. */
    async summary(identity: CustomerIdentity) {
      const customer = await find(identity);
      if (!customer) return null;
      const totals = await store.balanceApi.totalsOf(customer.id);
      return {
        customer: customerRef(customer),
        balance: formatFen(customer.balanceFen),
        ledger: {
          credited: formatFen(totals.creditedFen),
          debited: formatFen(totals.debitedFen),
          refunded: formatFen(totals.refundedFen),
          adjusted: formatFen(totals.adjustedFen),
        },
        created_at: customer.createdAt.toISOString(),
      };
    },

    /** `limit` entries below entry id `before`; `next_before` continues the list (null at its end). */
    async ledger(identity: CustomerIdentity, page: { limit: number; before: number | null }) {
      const customer = await find(identity);
      if (!customer) return null;
      const rows = await store.balanceApi.pageOf(customer.id, page.limit, page.before);
      const last = rows.at(-1);
      return {
        customer: customerRef(customer),
        entries: rows.map((row) => ({
          id: row.id,
          kind: row.kind,
          amount: formatFen(row.amountFen),
          order_no: row.orderNo,
          reason: row.note,
          created_at: row.createdAt.toISOString(),
        })),
        next_before: rows.length === page.limit && last ? last.id : null,
      };
    },
  };
}
