// One shop order request from submit.php or mapi.php, start to end: the caller's allowance, the signed
// parameters, the shop's allowance, the notify host, then the order. Every refusal changes nothing.

import type { ShopOrderOutcome } from './create-shop-order.ts';
import type { CreationLimiter } from './creation-limits.ts';
import type { EpayRefusal } from './epay-refusals.ts';
import type { EpayParams } from './epay-sign.ts';
import { parseShopOrderRequest, type RequestRules, type ShopOrderRequest } from './shop-order-request.ts';

export interface TakeShopOrderDeps {
  rules: RequestRules;
  limiter: CreationLimiter;
  notifyAddressAllowed: (notifyUrl: string) => Promise<boolean>;
  createShopOrder: (request: ShopOrderRequest) => Promise<ShopOrderOutcome>;
}

export function createTakeShopOrder(deps: TakeShopOrderDeps) {
  return async function takeShopOrder(
    params: EpayParams,
    clientAddress: string,
  ): Promise<ShopOrderOutcome | EpayRefusal> {
    if (!(await deps.limiter.allowAddress(clientAddress))) return { ok: false, code: 'rate.limited' };
    const parsed = parseShopOrderRequest(params, deps.rules);
    if (!parsed.ok) return parsed;
    const { request } = parsed;
    if (!(await deps.limiter.allowPid(request.pid))) return { ok: false, code: 'rate.limited' };
    if (!(await deps.notifyAddressAllowed(request.notifyUrl)))
      return { ok: false, code: 'notify_url.private' };
    return deps.createShopOrder(request);
  };
}

export type TakeShopOrder = ReturnType<typeof createTakeShopOrder>;
