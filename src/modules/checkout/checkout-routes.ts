// The checkout page's routes (SPEC §8): GET /pay/<trade_no> (the page), GET /pay/<trade_no>/status (what the
// page's script polls: {status, returnUrl?}, the return URL only once paid) and POST /pay/<trade_no>/provider
// (the payer's choice of provider). Anything else under /pay/ is the not-found page, without detail.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { Route } from '../http/router.ts';
import { payableWindow } from '../orders/payable-amount.ts';
import { tradeNoOf } from './checkout.models.ts';
import { type CheckoutDeps, createCheckoutHandlers } from './checkout-handlers.ts';
import { notFound, pageContext, pathOf } from './checkout-responses.ts';

/** The routes, with what they read from the configuration (where the service is wired); none without MERCHANTS. */
export function checkoutRoutesOf(deps: { config: Config; db: Db; clock: Clock; logger: Logger }): Route[] {
  const { config } = deps;
  if (config.merchant.merchants.size === 0) return [];
  const { offsetMaxFen, offsetDirection } = config.recharge;
  return checkoutRoutes({
    ...deps,
    codes: { payeeQrUrl: config.payeeQrUrl, payeeQrUrlWechat: config.payeeQrUrlWechat },
    keyOf: (pid) => config.merchant.merchants.get(pid),
    windowFor: (requestedFen) => payableWindow(requestedFen, offsetMaxFen, offsetDirection),
  });
}

export function checkoutRoutes(deps: CheckoutDeps): Route[] {
  const handlers = createCheckoutHandlers(deps);
  return [
    {
      method: 'GET',
      path: '/pay/*',
      async handle(request, response) {
        const { orderNo, action } = parsePath(request);
        if (orderNo && action === undefined) return handlers.showPage(request, response, orderNo);
        if (orderNo && action === 'status') return handlers.sendStatus(response, orderNo);
        answerNotFound(request, response);
      },
    },
    {
      method: 'POST',
      path: '/pay/*',
      async handle(request, response) {
        const { orderNo, action } = parsePath(request);
        if (orderNo && action === 'provider') return handlers.choose(request, response, orderNo);
        answerNotFound(request, response);
      },
    },
  ];
}

/** `/pay/<trade_no>[/<action>]`; orderNo null when the path cannot name an order. */
function parsePath(request: IncomingMessage): { orderNo: string | null; action: string | undefined } {
  const [segment = '', action, ...rest] = pathOf(request).slice('/pay/'.length).split('/');
  return { orderNo: rest.length === 0 ? tradeNoOf(segment) : null, action };
}

function answerNotFound(request: IncomingMessage, response: ServerResponse) {
  const { texts, nonce } = pageContext(request);
  notFound(response, texts, nonce);
}
