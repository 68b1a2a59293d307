// Credits payments to their orders inside the caller's transaction — orders → paid, ledger, balances, payments,
// customer messages — a few statements however many payments.

import type { Store } from '../../shared/db/store.ts';
import { customerNotices } from '../notify/customer-notifier.ts';
import type { OrderRow } from '../orders/orders.repository.ts';
import type { OutboxItem } from '../outbox/outbox-message.ts';

export interface CreditRequest {
  order: OrderRow;
  paymentId: number;
  actor: string;
}

/**
 * Credits each request, in order; returns the customer's balance after it, or null when its order is no
 * longer pending or expired (another payment or process got there first): the caller then reviews the
 * payment instead. An expired order can be credited: matching allows it only when the money came before
 * the expiry (the sweep ran before the notification arrived). Constraints make a second credit impossible.
 */
export async function creditOrders(
  store: Store,
  requests: readonly CreditRequest[],
  at: Date,
): Promise<Array<{ balanceFen: number } | null>> {
  const paid = new Map(
    (
      await store.orders.transitionAll(
        requests.map((request) => request.order.id),
        ['pending', 'expired'],
        'paid',
        at,
      )
    ).map((order) => [order.id, order]),
  );
  // Each order paid once, to the first request naming it.
  const credits = requests.flatMap((request) => {
    const order = paid.get(request.order.id);
    if (!order) return [];
    paid.delete(order.id);
    return [{ ...request, order }];
  });
  if (credits.length === 0) return requests.map(() => null);

  const totals = new Map<number, number>();
  for (const { order } of credits) {
    totals.set(order.customerId, (totals.get(order.customerId) ?? 0) + order.requestedFen);
  }
  // Independent statements, sent together.
  const [, balances] = await Promise.all([
    store.ledger.appendAll(
      credits.map(({ order, paymentId, actor }) => ({
        customerId: order.customerId,
        amountFen: order.requestedFen,
        kind: 'credit',
        paymentId,
        orderId: order.id,
        actor,
      })),
    ),
    store.customers.addToBalances(totals),
    store.payments.settleAll(
      credits.map(({ order, paymentId }) => ({ id: paymentId, status: 'matched', orderId: order.id })),
    ),
  ]);
  const customers = new Map(balances.map((row) => [row.id, row]));

  // A customer credited several times here is told each balance in turn: the final one less what follows.
  const stillToAdd = new Map(totals);
  const balanceAfter = new Map<number, number>();
  const messages: OutboxItem[] = [];
  for (const { order, paymentId } of credits) {
    const customer = customers.get(order.customerId);
    if (!customer) continue;
    const after = (stillToAdd.get(order.customerId) ?? 0) - order.requestedFen;
    stillToAdd.set(order.customerId, after);
    const balanceFen = customer.balanceFen - after;
    balanceAfter.set(paymentId, balanceFen);
    messages.push(
      ...customerNotices(customer, (texts) => texts.credited(order.orderNo, order.requestedFen, balanceFen)),
    );
  }
  await store.outbox.enqueue(messages);
  return requests.map((request) => {
    const balanceFen = balanceAfter.get(request.paymentId);
    return balanceFen === undefined ? null : { balanceFen };
  });
}
