// GET /api.php?act=order: a shop looks up one of its orders by trade_no or out_trade_no, with its key
// (compared in constant time), as Rainbow_Epay api.php answers it.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Store } from '../../shared/db/store.ts';
import { localParts } from '../../shared/local-time.ts';
import type { ShopOrder } from './shop-orders.repository.ts';

export type OrderQueryAnswer = Record<string, string | number | null>;

const EPAY_TYPES = { alipay: 'alipay', wechat: 'wxpay' } as const;

export function createQueryShopOrder(deps: {
  store: Pick<Store, 'shopOrders'>;
  merchants: ReadonlyMap<string, string>;
  timeZone: string;
}) {
  return async function queryShopOrder(query: URLSearchParams): Promise<OrderQueryAnswer> {
    if (query.get('act') !== 'order') return { code: -5, msg: 'unsupported act' };
    const pid = query.get('pid') ?? '';
    const key = deps.merchants.get(pid);
    if (key === undefined || !sameSecret(query.get('key') ?? '', key)) {
      return { code: -3, msg: 'unknown pid or wrong key' };
    }
    const tradeNo = query.get('trade_no') ?? '';
    const outTradeNo = query.get('out_trade_no') ?? '';
    if (tradeNo.length > 64 || outTradeNo.length > 64) return { code: -1, msg: 'order not found' };
    let found: ShopOrder | null;
    if (tradeNo !== '') found = await deps.store.shopOrders.byTradeNo(pid, tradeNo);
    else if (outTradeNo !== '') found = await deps.store.shopOrders.byOutTradeNo(pid, outTradeNo);
    else return { code: -4, msg: 'trade_no or out_trade_no is required' };
    return found ? answerOf(found, deps.timeZone) : { code: -1, msg: 'order not found' };
  };
}

function answerOf({ order, shop }: ShopOrder, timeZone: string): OrderQueryAnswer {
  const paid = order.status === 'paid';
  return {
    code: 1,
    msg: 'succ',
    trade_no: order.orderNo,
    out_trade_no: shop.outTradeNo,
    type: shop.type ?? (order.provider ? EPAY_TYPES[order.provider] : null),
    pid: shop.pid,
    addtime: dateTime(order.createdAt, timeZone),
    endtime: paid && order.closedAt ? dateTime(order.closedAt, timeZone) : null,
    name: shop.name,
    money: shop.money,
    param: shop.param,
    status: paid ? 1 : 0,
  };
}

/** Compared as digests: constant time whatever the lengths. */
function sameSecret(sent: string, key: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(sent), digest(key));
}

/** `2026-12-03 14:05:09` in the service's time zone, as EPay gateways print times. */
function dateTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}
