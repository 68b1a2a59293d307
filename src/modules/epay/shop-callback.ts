// What mailpay sends back to a shop once its order is paid — the asynchronous notify (GET notify_url?…) and
// the browser's return (return_url?…) — with the same signed parameters: `money` and `name` exactly as the
// shop sent them, and no parameter with an empty value (v2board, Xboard and SSPanel verify the notify
// through PHP's http_build_query, which would keep `param=` and break the signature).
import type { Provider } from '../payments/notification/payment-notification.ts';
import { type EpayParams, epaySign } from './epay-sign.ts';

/** What the shop sent with its order (shop_orders), and the order it became. */
export interface ShopCallbackOrder {
  pid: string;
  tradeNo: string;
  outTradeNo: string;
  /** As the shop sent it (`alipay`, `wxpay`), or null when the payer chose on the checkout page. */
  type: string | null;
  provider: Provider | null;
  name: string;
  money: string;
  param: string | null;
}

const EPAY_TYPES: Record<Provider, string> = { alipay: 'alipay', wechat: 'wxpay' };

/** The signed parameters of a paid order's notify and return, in the order EPay gateways send them. */
export function paidOrderParams(order: ShopCallbackOrder, key: string): EpayParams {
  const type = order.type ?? (order.provider ? EPAY_TYPES[order.provider] : null);
  const unsigned: Array<[string, string | null]> = [
    ['pid', order.pid],
    ['trade_no', order.tradeNo],
    ['out_trade_no', order.outTradeNo],
    ['type', type],
    ['name', order.name],
    ['money', order.money],
    ['trade_status', 'TRADE_SUCCESS'],
    ['param', order.param],
  ];
  const params = unsigned.filter((entry): entry is [string, string] => entry[1] !== null && entry[1] !== '');
  return [...params, ['sign', epaySign(params, key)], ['sign_type', 'MD5']];
}

/** `url` with the parameters added to its query (after any it already has), each percent-encoded. */
export function withParams(url: string, params: EpayParams): string {
  const target = new URL(url);
  for (const [name, value] of params) target.searchParams.append(name, value);
  return target.toString();
}
