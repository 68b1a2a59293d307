// A shop's EPay notify endpoint over real HTTP, verifying each notify the way v2board and Xboard do
// (cedar2025/Xboard and v2board/v2board `app/Payments/EPay.php`, `notify()`): take the received parameters,
// unset `sign` and `sign_type`, ksort, `stripslashes(urldecode(http_build_query($params))) . $key`, md5, and
// compare with `sign` strictly (`!==`). A notify that does not verify is answered `verify error` with 500, as
// v2board's PaymentController aborts; one that does is answered by the test's script (`success` by default).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ShopRequest {
  at: number;
  method: string;
  params: Record<string, string>;
  verified: boolean;
  /** Which request of this out_trade_no it is (1 = the first). */
  nth: number;
}

export type ShopReply = { status: number; body: string; delayMs?: number } | 'hang';
export const SUCCESS: ShopReply = { status: 200, body: 'success' };

export interface ShopDouble {
  /** The notify URL to give mailpay (`path` distinguishes shops on one double, which keep one host). */
  notifyUrl(path?: string): string;
  port: number;
  requests: ShopRequest[];
  /** How the shop answers a verified notify; `SUCCESS` unless the test says otherwise. */
  script: (request: ShopRequest) => ShopReply;
  /** Requests being answered now (hanging ones included), at most so far. */
  maxConcurrent: number;
  /** Verified notifies answered `success`, per out_trade_no. */
  successes(outTradeNo: string): number;
  close(): Promise<void>;
}

/** PHP's urlencode: RFC 1738, spaces as `+`. */
const phpUrlencode = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
const phpUrldecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
const stripslashes = (text: string) => text.replace(/\\(.?)/g, '$1');
const httpBuildQuery = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`)
    .join('&');

/** EPay::notify($params) of Xboard: whether the signature verifies under `key`. */
export function xboardNotifyVerifies(received: Record<string, string>, key: string): boolean {
  const { sign, sign_type: _signType, ...rest } = received;
  const sorted = Object.fromEntries(Object.entries(rest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const str = stripslashes(phpUrldecode(httpBuildQuery(sorted))) + key;
  return sign === createHash('md5').update(str, 'utf8').digest('hex');
}

export async function startShopDouble(key: string): Promise<ShopDouble> {
  const hanging = new Set<ServerResponse>();
  const counts = new Map<string, number>();
  const successes = new Map<string, number>();
  let current = 0;
  const shop: ShopDouble = {
    notifyUrl: (path = '/api/v1/guest/payment/notify/EPay/abc') => `http://127.0.0.1:${shop.port}${path}`,
    port: 0,
    requests: [],
    script: () => SUCCESS,
    maxConcurrent: 0,
    successes: (outTradeNo) => successes.get(outTradeNo) ?? 0,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const params = Object.fromEntries(new URL(req.url ?? '/', 'http://shop').searchParams);
    const outTradeNo = params.out_trade_no ?? '';
    const nth = (counts.get(outTradeNo) ?? 0) + 1;
    counts.set(outTradeNo, nth);
    const request = {
      at: Date.now(),
      method: req.method ?? '',
      params,
      verified: xboardNotifyVerifies(params, key),
      nth,
    };
    shop.requests.push(request);
    current += 1;
    shop.maxConcurrent = Math.max(shop.maxConcurrent, current);
    res.on('close', () => {
      current -= 1;
      hanging.delete(res);
    });
    const reply = request.verified ? shop.script(request) : { status: 500, body: 'verify error' };
    if (reply === 'hang') return void hanging.add(res);
    if (reply.status === 200 && reply.body.includes('success'))
      successes.set(outTradeNo, shop.successes(outTradeNo) + 1);
    const send = () => res.writeHead(reply.status, { 'content-type': 'text/plain' }).end(reply.body);
    if (reply.delayMs) setTimeout(send, reply.delayMs);
    else send();
  };
  const server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  shop.port = typeof address === 'object' && address ? address.port : 0;
  return shop;
}
