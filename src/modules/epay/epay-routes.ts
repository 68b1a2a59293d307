// The EPay-compatible payment API (SPEC §8): POST /mapi.php answers JSON, GET|POST /submit.php sends the
// browser to the checkout page, GET /api.php?act=order looks an order up. Handlers only translate: the
// parameters are handed on as received, and a refusal or failure answers a fixed text.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../shared/html.ts';
import type { Logger } from '../../shared/ports.ts';
import { BodyTooLarge, clientAddress, queryOf, readBody, sendJson } from '../http/request-body.ts';
import type { Route } from '../http/router.ts';
import { type EpayRefusalCode, refusalMessage } from './epay-refusals.ts';
import type { EpayParams } from './epay-sign.ts';
import type { OrderQueryAnswer } from './query-shop-order.ts';
import type { TakeShopOrder } from './take-shop-order.ts';

/** Ten parameters within their bounds take well under 4 KB. */
const MAX_BODY_BYTES = 16_384;

export interface EpayRouteDeps {
  takeShopOrder: TakeShopOrder;
  queryShopOrder: (query: URLSearchParams) => Promise<OrderQueryAnswer>;
  /** PUBLIC_URL: the checkout page is `${publicUrl}/pay/<trade_no>`. */
  publicUrl: string;
  range: { minFen: number; maxFen: number };
  logger: Logger;
}

type Taken = { ok: true; tradeNo: string; payurl: string } | { ok: false; code: EpayRefusalCode };

export function epayRoutes(deps: EpayRouteDeps): Route[] {
  const take = async (request: IncomingMessage): Promise<Taken> => {
    try {
      const params = await paramsOf(request);
      if (!params) return { ok: false, code: 'request.malformed' };
      const outcome = await deps.takeShopOrder(params, clientAddress(request));
      if (!outcome.ok) return outcome;
      const tradeNo = outcome.order.orderNo;
      return { ok: true, tradeNo, payurl: `${deps.publicUrl}/pay/${tradeNo}` };
    } catch (error) {
      deps.logger.error({ err: error }, 'shop order failed');
      return { ok: false, code: 'internal' };
    }
  };
  const message = (code: EpayRefusalCode) => refusalMessage(code, deps.range);
  const submit = async (request: IncomingMessage, response: ServerResponse) => {
    const taken = await take(request);
    if (taken.ok) response.writeHead(302, { location: taken.payurl }).end();
    else errorPage(response, submitStatusOf(taken.code), message(taken.code));
  };
  return [
    { method: 'GET', path: '/submit.php', handle: submit },
    { method: 'POST', path: '/submit.php', handle: submit },
    {
      method: 'POST',
      path: '/mapi.php',
      async handle(request, response) {
        const taken = await take(request);
        sendJson(
          response,
          200,
          taken.ok
            ? { code: 1, msg: 'succ', trade_no: taken.tradeNo, payurl: taken.payurl }
            : { code: -1, msg: message(taken.code) },
        );
      },
    },
    {
      method: 'GET',
      path: '/api.php',
      async handle(request, response) {
        const answer = await deps.queryShopOrder(queryOf(request)).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'shop order query failed');
          return { code: -1, msg: message('internal') };
        });
        sendJson(response, 200, answer);
      },
    },
  ];
}

/** The query of a GET; the form-encoded body of a POST (null: another encoding, or too large). */
async function paramsOf(request: IncomingMessage): Promise<EpayParams | null> {
  if (request.method !== 'POST') return [...queryOf(request)];
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== '' && type !== 'application/x-www-form-urlencoded') return null;
  const body = await readBody(request, MAX_BODY_BYTES).catch((error: unknown) => {
    if (error instanceof BodyTooLarge) return null;
    throw error;
  });
  return body === null ? null : [...new URLSearchParams(body.toString('utf8'))];
}

function submitStatusOf(code: EpayRefusalCode): number {
  if (code === 'rate.limited') return 429;
  return code === 'internal' ? 500 : 400;
}

function errorPage(response: ServerResponse, status: number, text: string): void {
  response
    .writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
    .end(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
        `<title>支付请求有误 / Payment request refused</title></head>` +
        `<body><h1>支付请求有误 / Payment request refused</h1><p>${escapeHtml(text)}</p></body></html>`,
    );
}
