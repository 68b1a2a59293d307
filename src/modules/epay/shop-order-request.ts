// Reads a shop's order request (submit.php / mapi.php) from the parameters exactly as received: the signature
// checked over the raw strings, then every field bounded. Pure: the notify host's address is checked apart.
import { isIP } from 'node:net';
import { parseYuanToFen } from '../../shared/money.ts';
import { EPAY_LIMITS, type EpayRefusal, type EpayRefusalCode } from './epay-refusals.ts';
import { type EpayParams, epaySignatureValid } from './epay-sign.ts';

export type EpayType = 'alipay' | 'wxpay';

export interface ShopOrderRequest {
  pid: string;
  outTradeNo: string;
  /** As sent, or null: the payer chooses on the checkout page. */
  type: EpayType | null;
  name: string;
  /** `money` exactly as sent (`10`, `10.00`): the notify repeats it. */
  money: string;
  moneyFen: number;
  param: string | null;
  notifyUrl: string;
  returnUrl: string | null;
  /** The payer's address as the shop saw it, when it sent one that is an IP address. */
  clientIp: string | null;
}

export interface RequestRules {
  /** pid → key. */
  merchants: ReadonlyMap<string, string>;
  wechatEnabled: boolean;
  minFen: number;
  maxFen: number;
}

/** More distinct parameters than any shop sends (ten or so): refused before anything is sorted. */
const MAX_PARAMS = 32;
const OUT_TRADE_NO = /^[A-Za-z0-9._|-]{1,64}$/;
/** Yuan, no sign, no exponent, no padding zeros, at most two decimals. */
const MONEY = /^(?:0|[1-9]\d{0,11})(?:\.\d{1,2})?$/;
const CONTROL = /\p{Cc}/u;
const URL_TEXT = /^[\x21-\x7e]+$/;

type Parsed = { ok: true; request: ShopOrderRequest } | EpayRefusal;

export function parseShopOrderRequest(params: EpayParams, rules: RequestRules): Parsed {
  const names = new Set(params.map(([name]) => name));
  if (names.size !== params.length || names.size > MAX_PARAMS) return refuse('request.malformed');
  const value = (name: string) => params.find(([key]) => key === name)?.[1] ?? '';
  const signType = value('sign_type');
  if (signType !== '' && signType.toUpperCase() !== 'MD5') return refuse('sign_type.unsupported');
  const pid = value('pid');
  const key = rules.merchants.get(pid);
  if (key === undefined) return refuse('pid.unknown');
  if (!epaySignatureValid(params, key)) return refuse('sign.invalid');
  return readFields(value, pid, rules);
}

function readFields(value: (name: string) => string, pid: string, rules: RequestRules): Parsed {
  const outTradeNo = value('out_trade_no');
  if (!OUT_TRADE_NO.test(outTradeNo)) return refuse('out_trade_no.invalid');
  const money = value('money');
  const parsed = MONEY.test(money) ? parseYuanToFen(money) : null;
  if (!parsed?.ok || parsed.fen <= 0) return refuse('money.invalid');
  if (parsed.fen < rules.minFen || parsed.fen > rules.maxFen) return refuse('money.out_of_range');
  const name = value('name');
  if (name === '' || [...name].length > EPAY_LIMITS.name || CONTROL.test(name)) return refuse('name.invalid');
  const param = value('param');
  // Any text is kept as sent, but a NUL, which no database text column can hold.
  if ([...param].length > EPAY_LIMITS.param || param.includes('\0')) return refuse('param.invalid');
  const notifyUrl = value('notify_url');
  if (!isWebUrl(notifyUrl)) return refuse('notify_url.invalid');
  const returnUrl = value('return_url');
  if (returnUrl !== '' && !isWebUrl(returnUrl)) return refuse('return_url.invalid');
  const type = value('type');
  if (type !== '' && type !== 'alipay' && type !== 'wxpay') return refuse('type.unsupported');
  if (type === 'wxpay' && !rules.wechatEnabled) return refuse('wxpay.disabled');
  const clientIp = value('clientip');
  return {
    ok: true,
    request: {
      pid,
      outTradeNo,
      type: type === '' ? null : type,
      name,
      money,
      moneyFen: parsed.fen,
      param: param === '' ? null : param,
      notifyUrl,
      returnUrl: returnUrl === '' ? null : returnUrl,
      clientIp: isIP(clientIp) === 0 ? null : clientIp,
    },
  };
}

/** An http:// or https:// URL with a host, printable ASCII only, within the length bound. */
export function isWebUrl(text: string): boolean {
  if (text.length > EPAY_LIMITS.url || !URL_TEXT.test(text)) return false;
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

function refuse(code: EpayRefusalCode): EpayRefusal {
  return { ok: false, code };
}
