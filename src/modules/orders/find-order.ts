// Use case: /find ORDERNO — the order, its customer, its payments and ledger entries (and, for a shop's order,
// the shop and its notify's tries), as the admin text.
import type { Store } from '../../shared/db/store.ts';
import { adminNumberOf } from '../customers/customers.repository.ts';
import { adminTextsFor } from '../notify/admin-language.ts';
import { formatLocalSeconds, formatLocalTime, type Language } from '../notify/customer-texts.ts';
import { normaliseForOrderNumbers } from './order-number.ts';

export function createFindOrder(deps: {
  store: Pick<Store, 'orders' | 'customers' | 'payments' | 'ledger' | 'shopOrderViews'>;
  timeZone: string;
}) {
  const { store } = deps;
  /** The admin text describing the order, or null when there is none. */
  return async function findOrder(orderNoText: string, language: Language): Promise<string | null> {
    const order = await store.orders.findByNumber(normaliseForOrderNumbers(orderNoText.trim()));
    if (!order) return null;
    const customer = await store.customers.find(order.customerId);
    const payments = await store.payments.findByOrder(order.id);
    const ledger = (await store.ledger.entriesOf(order.customerId)).filter((e) => e.orderId === order.id);
    const shop = (await store.shopOrderViews.shopsOf([order.id])).get(order.id);
    const notify = shop ? await store.shopOrderViews.notifyTriesOf(order.id) : null;
    const local = (at: Date) => formatLocalTime(at, deps.timeZone);
    return adminTextsFor(language).order({
      orderNo: order.orderNo,
      status: order.status,
      customerId: customer ? adminNumberOf(customer) : order.customerId,
      customerName: customer?.username ? `@${customer.username}` : (customer?.firstName ?? null),
      requestedFen: order.requestedFen,
      payableFen: order.payableFen,
      createdAt: local(order.createdAt),
      expiresAt: local(order.expiresAt),
      payments: payments.map((p) => ({ id: p.id, status: p.status, amountFen: p.amountFen })),
      ledger: ledger.map((e) => ({ kind: e.kind, amountFen: e.amountFen, actor: e.actor })),
      shop: shop
        ? {
            shop,
            notify: notify && {
              ...notify,
              last: notify.last && { ...notify.last, at: formatLocalSeconds(notify.last.at, deps.timeZone) },
            },
          }
        : null,
    });
  };
}

export type FindOrder = ReturnType<typeof createFindOrder>;
