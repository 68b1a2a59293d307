// Use case: a customer asks to recharge an amount (in fen) → an order with a unique payable amount and its QR
// photo (a Telegram user by the bot, a customer of the operator's app by the balance API).

import { batchCalls, settleTogether } from '../../shared/batch-calls.ts';
import type { Config } from '../../shared/config/config.ts';
import { isUniqueViolation } from '../../shared/db/database.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import {
  createOrdersTogether,
  ORDER_BATCHES,
  type OrderingDeps,
  type OrderRequest,
} from './create-orders-together.ts';
import type { Order } from './order.models.ts';
import type { OrderCustomer } from './order-customers.ts';

export type CreateOrderOutcome =
  | { kind: 'created'; order: Order }
  | {
      kind: 'rejected';
      code: 'amount.invalid' | 'order.too_many_pending' | 'order.amounts_busy' | 'mailbox.down';
    }
  /** MAX_ORDERS_PER_HOUR unpaid orders created in the last hour; more from `retryAt`. */
  | { kind: 'rejected'; code: 'order.too_many_recent'; retryAt: Date };

/** Attempts when a freshly drawn order number is already taken. */
const MAX_ATTEMPTS = 5;

export function createCreateOrder(deps: OrderingDeps) {
  const { recharge } = deps;
  const createTogether = batchCalls(
    (requests: readonly OrderRequest[]) => createOrders(deps, requests),
    ORDER_BATCHES,
  );

  /** Requests made at the same moment (a burst of customers) share one transaction. */
  return async function createOrder(
    customer: OrderCustomer,
    requestedFen: number,
    provider: Provider | null = null,
  ): Promise<CreateOrderOutcome> {
    if (!isRechargeable(requestedFen, recharge)) return { kind: 'rejected', code: 'amount.invalid' };
    const mailboxDelayed = deps.mailboxState() === 'down';
    if (mailboxDelayed && recharge.whenMailboxDown === 'refuse')
      return { kind: 'rejected', code: 'mailbox.down' };
    return createTogether({ customer, requestedFen, provider, mailboxDelayed });
  };
}

/**
 * Creates the orders in one transaction. A freshly drawn order number that is taken fails it: it runs
 * again with new numbers. Anything else that fails it is retried one request at a time, so a single
 * bad request fails alone.
 */
function createOrders(
  deps: OrderingDeps,
  requests: readonly OrderRequest[],
): Promise<Array<PromiseSettledResult<CreateOrderOutcome>>> {
  // A taken number is one in ~10^11: draw again.
  return settleTogether((batch) => createOrdersTogether(deps, batch), requests, {
    retryable: isUniqueViolation,
    attempts: MAX_ATTEMPTS,
  });
}

/** Whether an amount may be asked for (RECHARGE_MIN…RECHARGE_MAX). */
export function isRechargeable(fen: number, range: { minFen: number; maxFen: number }): boolean {
  return fen >= range.minFen && fen <= range.maxFen;
}

/** The collection codes a customer chooses between: none to choose from while the payee has one. */
export function choosableProviders(config: Pick<Config, 'payeeQrUrlWechat'>): Provider[] {
  return config.payeeQrUrlWechat === null ? [] : ['alipay', 'wechat'];
}

/** The settings order creation reads, by name (where the service is wired). */
export function orderingSettingsOf(config: Config): Pick<OrderingDeps, 'recharge' | 'timeZone' | 'alarm'> {
  return {
    recharge: config.recharge,
    timeZone: config.timeZone,
    alarm: { admins: adminAudienceOf(config), floodPerMinute: config.alarms.floodPerMinute },
  };
}

export type CreateOrder = ReturnType<typeof createCreateOrder>;
