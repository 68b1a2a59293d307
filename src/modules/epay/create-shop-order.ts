// Use case: shops' EPay orders → each shop's customer (channel `shop`, external id = pid), an order at a free
// payable amount (the one allocation every order is made with) and what the shop sent, in one transaction.
// Requests arriving together share it, as customers' /recharge do. The same pid + out_trade_no again returns
// the same order when the money matches; two identical requests at once still make one order (the unique key
// on pid + out_trade_no decides: the losing transaction runs again and reads the winner's).
import { batchCalls, settleTogether } from '../../shared/batch-calls.ts';
import { isUniqueViolation } from '../../shared/db/database.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { Customer } from '../customers/customers.repository.ts';
import { allocate, ORDER_BATCHES, type OrderingDeps } from '../orders/create-orders-together.ts';
import type { Order } from '../orders/order.models.ts';
import { newOrderNumber } from '../orders/order-number.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import type { EpayRefusal } from './epay-refusals.ts';
import type { EpayType, ShopOrderRequest } from './shop-order-request.ts';
import type { NewShopOrder } from './shop-orders.repository.ts';

export interface ShopOrderingDeps extends Pick<OrderingDeps, 'recharge' | 'alarm'> {
  transaction: Transaction;
  clock: Clock;
  randomIndex: (n: number) => number;
  mailboxState: () => MailboxState;
  /** PAYEE_QR_URL_WECHAT is set: orders carry a provider (an order without `type` gets one on the page). */
  wechatEnabled: boolean;
}

export type ShopOrderOutcome = { ok: true; order: Order; repeated: boolean } | EpayRefusal;

/** Runs when the transaction lost a race on a unique key: the next run sees what the winner committed. */
const MAX_ATTEMPTS = 3;

export function createCreateShopOrder(deps: ShopOrderingDeps) {
  const createTogether = batchCalls(
    (requests: readonly ShopOrderRequest[]) =>
      settleTogether((batch) => deps.transaction((store) => createIn(deps, store, batch)), requests, {
        retryable: isUniqueViolation,
        attempts: MAX_ATTEMPTS,
      }),
    ORDER_BATCHES,
  );
  return async function createShopOrder(request: ShopOrderRequest): Promise<ShopOrderOutcome> {
    if (deps.recharge.whenMailboxDown === 'refuse' && deps.mailboxState() === 'down') {
      return { ok: false, code: 'mailbox.down' };
    }
    return createTogether(request);
  };
}

const keyOf = (request: { pid: string; outTradeNo: string }) => `${request.pid}\n${request.outTradeNo}`;

async function createIn(
  deps: ShopOrderingDeps,
  store: Store,
  requests: readonly ShopOrderRequest[],
): Promise<ShopOrderOutcome[]> {
  // Both reads at once, pipelined on the transaction's connection: the shops (mostly there already) are
  // needed only for new orders, but waiting to know which are new would cost a round trip.
  const [existing, shops] = await Promise.all([
    store.shopOrders.byOutTradeNos(requests),
    store.customers.findOrCreateAll(
      'shop',
      requests.map((request) => request.pid),
    ),
  ]);
  const known = new Map<string, Order>();
  for (const found of existing) known.set(keyOf(found.shop), found.order);
  // The first request of each new out_trade_no creates it; repeats in the same batch are answered as repeats.
  const fresh = new Map<string, ShopOrderRequest>();
  for (const request of requests) {
    if (!known.has(keyOf(request)) && !fresh.has(keyOf(request))) fresh.set(keyOf(request), request);
  }
  const created = await createFresh(deps, store, shops, [...fresh.values()]);
  return requests.map((request): ShopOrderOutcome => {
    const key = keyOf(request);
    const made = created.get(key);
    if (made && fresh.get(key) === request) return made;
    const order = known.get(key) ?? (made?.ok ? made.order : undefined);
    // A repeat of a request this batch could not create is refused as it was.
    if (!order) return made ?? { ok: false, code: 'internal' };
    return order.requestedFen === request.moneyFen
      ? { ok: true, order, repeated: true }
      : { ok: false, code: 'order.money_differs' };
  });
}

/** New orders for these requests (one per out_trade_no), keyed by pid + out_trade_no. */
async function createFresh(
  deps: ShopOrderingDeps,
  store: Store,
  shops: ReadonlyMap<string, Customer>,
  requests: readonly ShopOrderRequest[],
): Promise<Map<string, ShopOrderOutcome>> {
  if (requests.length === 0) return new Map();
  const now = deps.clock.now();
  const moment = {
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.recharge.orderTtlSeconds * 1000),
  };
  const wanted = requests.map((request) => {
    const shop = shops.get(request.pid);
    if (!shop) throw new Error(`no customer for shop ${request.pid}`);
    const provider = providerOf(request.type, deps.wechatEnabled);
    return {
      orderNo: newOrderNumber(deps.randomIndex),
      customerId: shop.id,
      requestedFen: request.moneyFen,
      provider,
    };
  });
  const allocated = await allocate(deps, store, wanted, moment);
  const outcomes = new Map<string, ShopOrderOutcome>();
  const rows: NewShopOrder[] = [];
  requests.forEach((request, i) => {
    const outcome = allocated[i];
    if (outcome?.kind !== 'created') {
      outcomes.set(keyOf(request), { ok: false, code: 'order.amounts_busy' });
      return;
    }
    outcomes.set(keyOf(request), { ok: true, order: outcome.order, repeated: false });
    rows.push(shopOrderRow(outcome.order.id, request));
  });
  await store.shopOrders.insertAll(rows);
  return outcomes;
}

function shopOrderRow(orderId: number, request: ShopOrderRequest): NewShopOrder {
  const { pid, outTradeNo, type, name, money, param, notifyUrl, returnUrl, clientIp } = request;
  return { orderId, pid, outTradeNo, type, name, money, param, notifyUrl, returnUrl, clientIp };
}

/** With one collection code every order is scope "any"; with two, the shop's type names it, or the payer will. */
function providerOf(type: EpayType | null, wechatEnabled: boolean): Provider | null {
  if (!wechatEnabled || type === null) return null;
  return type === 'wxpay' ? 'wechat' : 'alipay';
}
