// The one credit path, for auto credit and an admin's approval alike: pays the order (when there is one),
// appends the credit ledger entry, moves the balance and queues the customer's message (or, for a shop's
// order, the shop's notify) and the payment.credited event — inside the caller's transaction, in a few statements however many payments.

import type { Store } from '../../shared/db/store.ts';
import type { Customer } from '../customers/customers.repository.ts';
import { type EventFact, paymentCredited } from '../events/event-bodies.ts';
import { customerNotices } from '../notify/customer-notifier.ts';
import type { Order, OrderStatus } from '../orders/order.models.ts';
import type { OutboxItem } from '../outbox/outbox-message.ts';

export interface CreditRequest {
  paymentId: number;
  /** The order the payment pays, or null: the money goes to `customerId` without one (an admin's /assign). */
  order: Order | null;
  customerId: number;
  amountFen: number;
  /** Who credits, for the ledger: `auto:memo`, `admin:42`, … */
  actor: string;
}

export type CreditStore = Pick<Store, 'orders' | 'ledger' | 'customers' | 'outbox' | 'webOutbox' | 'events'>;

/**
 * Credits each request, in order; returns the customer's balance after it, or null when its order could
 * not be paid from `orderFrom` (another payment, process or customer got there first): the caller then
 * decides what becomes of the payment. Constraints make a second credit of a payment or order impossible.
 */
export async function credit(
  store: CreditStore,
  requests: readonly CreditRequest[],
  options: { at: Date; orderFrom: readonly OrderStatus[] },
): Promise<Array<{ balanceFen: number } | null>> {
  const credits = await payOrders(store, requests, options);
  if (credits.length === 0) return requests.map(() => null);

  const totals = new Map<number, number>();
  for (const { customerId, amountFen } of credits) {
    totals.set(customerId, (totals.get(customerId) ?? 0) + amountFen);
  }
  // Independent statements, sent together.
  const [, balances] = await Promise.all([
    store.ledger.appendAll(
      credits.map(({ customerId, amountFen, paymentId, order, actor }) => ({
        customerId,
        amountFen,
        kind: 'credit',
        paymentId,
        orderId: order?.id ?? null,
        actor,
      })),
    ),
    store.customers.addToBalances(totals),
  ]);
  const customers = new Map(balances.map((row) => [row.id, row]));

  // A customer credited several times here is told each balance in turn: the final one less what follows.
  const stillToAdd = new Map(totals);
  const balanceAfter = new Map<CreditRequest, number>();
  const messages: OutboxItem[] = [];
  const events: EventFact[] = [];
  for (const request of credits) {
    const customer = customers.get(request.customerId);
    if (!customer) continue;
    const after = (stillToAdd.get(customer.id) ?? 0) - request.amountFen;
    stillToAdd.set(customer.id, after);
    const balanceFen = customer.balanceFen - after;
    balanceAfter.set(request.source, balanceFen);
    messages.push(...creditedNotices(customer, request.order, request.amountFen, balanceFen));
    events.push(
      paymentCredited({ ...request, customer, orderNo: request.order?.orderNo ?? null, balanceFen }),
    );
  }
  const shopOrderIds = credits.flatMap(({ customerId, order }) =>
    order && customers.get(customerId)?.channel === 'shop' ? [order.id] : [],
  );
  await Promise.all([
    store.outbox.enqueue(messages),
    store.webOutbox.queueShopNotifies(shopOrderIds),
    store.events.queue(events, options.at),
  ]);
  return requests.map((request) => {
    const balanceFen = balanceAfter.get(request);
    return balanceFen === undefined ? null : { balanceFen };
  });
}

/** The requests that credit: those without an order, and each order paid once, to the first naming it. */
async function payOrders(
  store: CreditStore,
  requests: readonly CreditRequest[],
  { at, orderFrom }: { at: Date; orderFrom: readonly OrderStatus[] },
): Promise<Array<CreditRequest & { source: CreditRequest }>> {
  const ids = requests.flatMap((request) => (request.order ? [request.order.id] : []));
  const paid = new Map((await store.orders.transitionAll(ids, orderFrom, 'paid', at)).map((o) => [o.id, o]));
  return requests.flatMap((request) => {
    if (!request.order) return [{ ...request, source: request }];
    const order = paid.get(request.order.id);
    if (!order) return [];
    paid.delete(order.id);
    return [{ ...request, order, source: request }];
  });
}

/** The customer's "credited" message (none for a channel without messages). */
function creditedNotices(
  customer: Customer,
  order: Order | null,
  amountFen: number,
  balanceFen: number,
): OutboxItem[] {
  return customerNotices(customer, (texts) =>
    order
      ? texts.credited(order.orderNo, amountFen, balanceFen)
      : texts.creditedPayment(amountFen, balanceFen),
  );
}
