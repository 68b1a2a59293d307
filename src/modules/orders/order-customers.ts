// The customers of a batch of order requests — Telegram users and the balance API's customers — found or created,
// their rows locked and their orders counted for the limits, in the batch's transaction.
import type { Store } from '../../shared/db/store.ts';
import type { CustomerProfile } from '../customers/telegram-customers.repository.ts';
import type { Recipient } from '../notify/customer-notifier.ts';
import type { OrderUsage } from './order-limits.ts';

/** A customer of the balance API, named by its external id: created by its first order. */
export interface ApiCustomerRef {
  channel: 'api';
  externalId: string;
}

/** Who orders: a Telegram user (as Telegram tells of them), or a customer of the balance API. */
export type OrderCustomer = CustomerProfile | ApiCustomerRef;

/**
 * Finds or creates the requests' customers and locks their rows before their orders are counted, so a
 * customer's requests in other transactions (other processes) wait for this one to commit, then count its
 * orders. Sent together, run in this order.
 */
export async function customersOf(
  store: Store,
  requests: ReadonlyArray<{ customer: OrderCustomer }>,
  since: Date,
) {
  const profiles = new Map<number, CustomerProfile>();
  const apiIds: string[] = [];
  for (const { customer } of requests) {
    if ('channel' in customer) apiIds.push(customer.externalId);
    else profiles.set(customer.id, customer);
  }
  const [users, userUsage, accounts, accountUsage] = await Promise.all([
    store.telegramCustomers.upsertAll([...profiles.values()]),
    store.orders.usageOfIdentities('telegram', [...profiles.keys()].map(String), since),
    store.customers.upsertAll('api', apiIds),
    store.orders.usageOfIdentities('api', apiIds, since),
  ]);
  const account = (externalId: string) => orThrow(accounts.get(externalId));
  const user = (id: number) => orThrow(users.get(id));
  return {
    usage: new Map<number, OrderUsage>([...userUsage, ...accountUsage]),
    customerIdOf: ({ customer }: { customer: OrderCustomer }) =>
      'channel' in customer ? account(customer.externalId).id : user(customer.id).id,
    recipientOf: ({ customer }: { customer: OrderCustomer }): Recipient =>
      'channel' in customer
        ? account(customer.externalId)
        : { ...user(customer.id), channel: 'telegram', chatId: customer.chatId },
  };
}

function orThrow<T>(found: T | undefined): T {
  if (found === undefined) throw new Error('an order request without its customer');
  return found;
}
