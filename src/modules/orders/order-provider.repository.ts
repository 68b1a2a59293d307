// A payer's choice of provider for an order that has none (a shop order sent without `type`): the order moves
// to that provider's scope of payable amounts, at the first free one, by the query order creation uses.
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../shared/db/database.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { freePayableAmounts } from './free-payable-amounts.ts';
import type { PayableWindow } from './payable-amount.ts';

export function createOrderProviderRepository({ db }: { db: Db }) {
  return {
    /**
     * Gives the pending, provider-less order `orderId` the provider and the first free amount of `window`
     * in its scope; returns the new payable amount, or null when none is free (or the order is not pending
     * without a provider). A unique violation (an amount taken by a commit the checks could not see) throws.
     */
    async moveToProvider(orderId: number, provider: Provider, window: PayableWindow) {
      const [row] = await queryRows<{ payable_fen: number }>(
        db,
        sql`update orders set provider = ${provider}, payable_fen = free.fen
            from (${freePayableAmounts(provider, window, 1)}) free
            where orders.id = ${orderId} and orders.status = 'pending' and orders.provider is null
            returning orders.payable_fen`,
      );
      return row ? row.payable_fen : null;
    },
  };
}
