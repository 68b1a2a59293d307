// Credits a payment to an order inside the caller's transaction: order → paid, ledger, balance, payment, message.
import type { OrderRow } from '../adapters/db/orders.repository.ts';
import type { Store } from '../adapters/db/store.ts';
import { languageOf, textsFor } from '../domain/texts.ts';

/**
 * An expired order can be credited too: matching allows it only when the money came before the expiry
 * (the sweep ran before the notification arrived).
 * Null when the order is no longer pending or expired (another payment or process got there first):
 * the caller then reviews the payment instead. Constraints make a second credit impossible anyway.
 */
export async function creditOrder(
  store: Store,
  args: { order: OrderRow; paymentId: number; at: Date; actor: string },
): Promise<{ balanceFen: number } | null> {
  const paid = await store.orders.transition(args.order.id, ['pending', 'expired'], 'paid', args.at);
  if (!paid) return null;
  await store.ledger.append({
    customerId: paid.customerId,
    amountFen: paid.requestedFen,
    kind: 'credit',
    paymentId: args.paymentId,
    orderId: paid.id,
    actor: args.actor,
  });
  const customer = await store.customers.addToBalance(paid.customerId, paid.requestedFen);
  const balanceFen = customer.balanceFen;
  await store.payments.settle(args.paymentId, { status: 'matched', orderId: paid.id });
  const texts = textsFor(languageOf(customer.languageCode));
  await store.outbox.enqueue([
    {
      chatId: customer.chatId,
      message: { method: 'sendMessage', text: texts.credited(paid.orderNo, paid.requestedFen, balanceFen) },
    },
  ]);
  return { balanceFen };
}
