// The checkout page's rules, pure: which order a path names, what the payer sees of its status, which code to
// scan, and where the browser goes once it is paid (never before).
import { paidOrderParams, withParams } from '../epay/shop-callback.ts';
import type { OrderStatus } from '../orders/order.models.ts';
import { isOrderNumber, normaliseForOrderNumbers } from '../orders/order-number.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';

/** A shop order as the checkout page reads it: the order, and what the shop sent with it. */
export interface CheckoutOrder {
  id: number;
  orderNo: string;
  status: OrderStatus;
  requestedFen: number;
  payableFen: number;
  provider: Provider | null;
  expiresAt: Date;
  pid: string;
  outTradeNo: string;
  type: string | null;
  name: string;
  money: string;
  param: string | null;
  returnUrl: string | null;
}

/** What the page shows: a pending order past its expiry is expired for the payer before the sweep marks it. */
export type CheckoutStatus = 'pending' | 'paid' | 'expired' | 'cancelled' | 'refunded';

export function checkoutStatus(
  order: Pick<CheckoutOrder, 'status' | 'expiresAt'>,
  now: Date,
): CheckoutStatus {
  if (order.status === 'pending') return now.getTime() < order.expiresAt.getTime() ? 'pending' : 'expired';
  return order.status;
}

/** The order number a path segment names (case-insensitive), or null when it cannot be one. */
export function tradeNoOf(segment: string): string | null {
  if (segment.length > 40) return null;
  const upper = normaliseForOrderNumbers(segment);
  return isOrderNumber(upper) ? upper : null;
}

/** The payee's collection codes: Alipay's (or the only one) and, when configured, WeChat Pay's. */
export interface PayeeCodes {
  payeeQrUrl: string;
  payeeQrUrlWechat: string | null;
}

/** The providers a payer of a provider-less order chooses from; none when the payee has one code. */
export function offeredProviders(codes: PayeeCodes): Provider[] {
  return codes.payeeQrUrlWechat === null ? [] : ['alipay', 'wechat'];
}

/** Whether the page asks the payer to choose before showing a code. */
export function needsProviderChoice(order: Pick<CheckoutOrder, 'provider'>, codes: PayeeCodes): boolean {
  return order.provider === null && offeredProviders(codes).length > 0;
}

/** The content of the QR code to show for the order's provider; null when that code is no longer configured. */
export function qrContentFor(provider: Provider | null, codes: PayeeCodes): string | null {
  return provider === 'wechat' ? codes.payeeQrUrlWechat : codes.payeeQrUrl;
}

/**
 * Where the browser goes once the order is paid: the shop's return_url with the signed parameters of the
 * notify. Null unless paid, without a return_url, one that is not http(s), or a shop no longer configured.
 */
export function paidReturnUrl(
  order: CheckoutOrder,
  status: CheckoutStatus,
  keyOf: (pid: string) => string | undefined,
): string | null {
  const key = keyOf(order.pid);
  if (status !== 'paid' || !order.returnUrl || key === undefined) return null;
  if (!/^https?:\/\//i.test(order.returnUrl) || !URL.canParse(order.returnUrl)) return null;
  return withParams(order.returnUrl, paidOrderParams({ ...order, tradeNo: order.orderNo }, key));
}
