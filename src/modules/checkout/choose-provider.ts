// Use case: the payer of a shop order sent without `type` chooses Alipay or WeChat Pay on the checkout page.
// In one transaction the order is locked and moved to that provider's scope of payable amounts, at the first
// free one (the query order creation uses). Only a pending order without a provider can choose, once.
import { isUniqueViolation } from '../../shared/db/database.ts';
import type { Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import type { PayableWindow } from '../orders/payable-amount.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { checkoutStatus } from './checkout.models.ts';

export type ChoiceOutcome =
  | { kind: 'chosen'; payableFen: number }
  | {
      kind: 'rejected';
      code: 'order.not_found' | 'order.not_pending' | 'order.provider_chosen' | 'order.amounts_busy';
    };

/** Attempts when an amount found free was taken by a commit the statement could not see. */
const ATTEMPTS = 3;

export function createChooseProvider(deps: {
  transaction: Transaction;
  clock: Clock;
  /** The amounts an order for `requestedFen` may be paid with, in order of preference. */
  windowFor: (requestedFen: number) => PayableWindow;
}) {
  const choose = (orderNo: string, provider: Provider) =>
    deps.transaction(async (store): Promise<ChoiceOutcome> => {
      const order = await store.checkout.lockShopOrder(orderNo);
      if (!order) return { kind: 'rejected', code: 'order.not_found' };
      if (order.provider !== null) {
        // The same choice again (a double tap, a second tab) is no conflict.
        return order.provider === provider
          ? { kind: 'chosen', payableFen: order.payableFen }
          : { kind: 'rejected', code: 'order.provider_chosen' };
      }
      if (checkoutStatus(order, deps.clock.now()) !== 'pending')
        return { kind: 'rejected', code: 'order.not_pending' };
      const payableFen = await store.orders.moveToProvider(
        order.id,
        provider,
        deps.windowFor(order.requestedFen),
      );
      return payableFen === null
        ? { kind: 'rejected', code: 'order.amounts_busy' }
        : { kind: 'chosen', payableFen };
    });

  return async function chooseProvider(orderNo: string, provider: Provider): Promise<ChoiceOutcome> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await choose(orderNo, provider);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (attempt >= ATTEMPTS) return { kind: 'rejected', code: 'order.amounts_busy' };
      }
    }
  };
}

export type ChooseProvider = ReturnType<typeof createChooseProvider>;
