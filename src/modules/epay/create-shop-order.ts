// Use case: a shop's EPay order → the shop's customer (channel `shop`, external id = pid), an order at a free
// payable amount (the one allocation every order is made with) and what the shop sent, in one transaction.
// The same pid + out_trade_no again returns the same order when the money matches; two identical requests at
// once still make one order (the unique key on pid + out_trade_no decides, the loser reads the winner's).
import { isUniqueViolation } from '../../shared/db/database.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import { alarmAmountsBusy, allocateOrder, type OrderingDeps } from '../orders/create-orders-together.ts';
import type { Order } from '../orders/order.models.ts';
import { newOrderNumber } from '../orders/order-number.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import type { EpayRefusal } from './epay-refusals.ts';
import type { EpayType, ShopOrderRequest } from './shop-order-request.ts';

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
  return async function createShopOrder(request: ShopOrderRequest): Promise<ShopOrderOutcome> {
    if (deps.recharge.whenMailboxDown === 'refuse' && deps.mailboxState() === 'down') {
      return { ok: false, code: 'mailbox.down' };
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.transaction((store) => createIn(deps, store, request));
      } catch (error) {
        if (isUniqueViolation(error) && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
    }
  };
}

async function createIn(
  deps: ShopOrderingDeps,
  store: Store,
  request: ShopOrderRequest,
): Promise<ShopOrderOutcome> {
  const existing = await store.shopOrders.byOutTradeNo(request.pid, request.outTradeNo);
  if (existing) {
    return existing.order.requestedFen === request.moneyFen
      ? { ok: true, order: existing.order, repeated: true }
      : { ok: false, code: 'order.money_differs' };
  }
  const shop = await store.customers.findOrCreate('shop', request.pid);
  const now = deps.clock.now();
  const order = await allocateOrder(deps, store, {
    orderNo: newOrderNumber(deps.randomIndex),
    customerId: shop.id,
    requestedFen: request.moneyFen,
    provider: providerOf(request.type, deps.wechatEnabled),
    createdAt: now,
    expiresAt: new Date(now.getTime() + deps.recharge.orderTtlSeconds * 1000),
  });
  if (!order) {
    await alarmAmountsBusy(deps, store, request.moneyFen, now);
    return { ok: false, code: 'order.amounts_busy' };
  }
  await store.shopOrders.insert({
    orderId: order.id,
    pid: request.pid,
    outTradeNo: request.outTradeNo,
    type: request.type,
    name: request.name,
    money: request.money,
    param: request.param,
    notifyUrl: request.notifyUrl,
    returnUrl: request.returnUrl,
    clientIp: request.clientIp,
  });
  return { ok: true, order, repeated: false };
}

/** With one collection code every order is scope "any"; with two, the shop's type names it, or the payer will. */
function providerOf(type: EpayType | null, wechatEnabled: boolean): Provider | null {
  if (!wechatEnabled || type === null) return null;
  return type === 'wxpay' ? 'wechat' : 'alipay';
}
