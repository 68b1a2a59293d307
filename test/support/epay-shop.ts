// Shop software as it calls an EPay gateway, signing exactly as each one does (read from their sources):
// - dujiaoka app/Http/Controllers/Pay/YipayController.php `gateway`: pid, type, out_trade_no, return_url,
//   notify_url, name, money = (float) price — PHP prints 10.00 as `10`, 10.50 as `10.5` — ksort, skip sign,
//   sign_type and empty values, `k=v&…` unencoded + key, md5; an auto-submitted HTML form (method get).
// - v2board/Xboard app/Payments/EPay.php `pay`: money = total_amount / 100, name = out_trade_no = trade_no,
//   notify_url, return_url, pid, no type; ksort, sign = md5(stripslashes(urldecode(http_build_query($params)))
//   . key); sent as GET `${url}/submit.php?` + http_build_query (sign and sign_type appended).
// - SSPanel-UIM src/Services/Gateway/Epay.php `createOrder`: money, name = out_trade_no, pid, notify_url,
//   return_url, no type; signed and sent as v2board does.
// - A mapi.php client (Rainbow_Epay SDK style, e.g. new-api): the dujiaoka fields POSTed form-encoded.
import { createHash } from 'node:crypto';

export type ShopSoftware = 'dujiaoka' | 'v2board' | 'sspanel';

export interface ShopAccount {
  pid: string;
  key: string;
}

export interface ShopOrderInput {
  outTradeNo: string;
  moneyFen: number;
  name?: string;
  notifyUrl: string;
  returnUrl?: string;
  /** dujiaoka only (the others send none). */
  type?: string;
  /** Sent unsigned-as-empty when ''; left out when undefined. */
  param?: string;
  /** Extra parameters some shops add (`device`, `clientip`), signed like the rest. */
  extra?: Record<string, string>;
}

export type Params = Array<[string, string]>;

/** PHP's string form of `(float)` yuan: 1000 → `10`, 1050 → `10.5`, 1055 → `10.55`. */
export function phpFloatYuan(fen: number): string {
  const whole = Math.trunc(fen / 100);
  const cents = fen % 100;
  if (cents === 0) return String(whole);
  return cents % 10 === 0 ? `${whole}.${cents / 10}` : `${whole}.${String(cents).padStart(2, '0')}`;
}

/** PHP urlencode: all but `A-Za-z0-9_.-` percent-encoded, space as `+` (what http_build_query uses). */
export function phpUrlencode(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function phpHttpBuildQuery(params: Params): string {
  return params.map(([k, v]) => `${phpUrlencode(k)}=${phpUrlencode(v)}`).join('&');
}

/** PHP urldecode then stripslashes, as v2board and SSPanel build the signed string. */
function phpUrldecodeStripslashes(text: string): string {
  const decoded = decodeURIComponent(text.replace(/\+/g, ' '));
  return decoded.replace(/\\(.?)/g, '$1');
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const ksort = (params: Params): Params => [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** The parameters the shop software sends for the order, signed its way. */
export function shopParams(software: ShopSoftware, shop: ShopAccount, order: ShopOrderInput): Params {
  const money = phpFloatYuan(order.moneyFen);
  const extra = Object.entries(order.extra ?? {});
  const optional: Params = order.param === undefined ? [] : [['param', order.param]];
  if (software === 'dujiaoka') {
    const params: Params = ksort([
      ['pid', shop.pid],
      ...(order.type === undefined ? [] : ([['type', order.type]] as Params)),
      ['out_trade_no', order.outTradeNo],
      ['return_url', order.returnUrl ?? 'https://shop.example.com/detail'],
      ['notify_url', order.notifyUrl],
      ['name', order.name ?? 'VIP 月卡'],
      ['money', money],
      ...optional,
      ...extra,
    ]);
    return signedLikeDujiaoka(params, shop.key);
  }
  const params: Params = ksort([
    ['money', money],
    ['name', order.name ?? order.outTradeNo],
    ['notify_url', order.notifyUrl],
    ['return_url', order.returnUrl ?? 'https://shop.example.com/user/order'],
    ['out_trade_no', order.outTradeNo],
    ['pid', shop.pid],
    ...optional,
    ...extra,
  ]);
  const sign = md5(phpUrldecodeStripslashes(phpHttpBuildQuery(params)) + shop.key);
  return [...params, ['sign', sign], ['sign_type', 'MD5']];
}

/**
 * dujiaoka's (and Rainbow_Epay's SDK's) signing: ksort, skip sign, sign_type and empty values, `k=v&…` of
 * the strings as they are, key appended, md5. Also signs a test's hand-changed parameters again.
 */
export function signedLikeDujiaoka(params: Params, key: string): Params {
  const unsigned = ksort(params.filter(([k]) => k !== 'sign' && k !== 'sign_type'));
  const signed = unsigned
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return [...unsigned, ['sign', md5(signed + key)], ['sign_type', 'MD5']];
}

/** Where the shop sends the payer's browser: `${gateway}/submit.php?…` as v2board and SSPanel build it. */
export function submitUrl(gateway: string, params: Params): string {
  return `${gateway}/submit.php?${phpHttpBuildQuery(params)}`;
}

/** A form body as a browser (dujiaoka's form) or a mapi.php client encodes it. */
export function formBody(params: Params): string {
  return new URLSearchParams(params).toString();
}
