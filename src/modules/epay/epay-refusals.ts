// Why an EPay request is refused: stable codes, and the fixed text each one answers the shop with (never an
// internal error's text).
import { formatFen } from '../../shared/money.ts';

export type EpayRefusalCode =
  | 'request.malformed'
  | 'sign_type.unsupported'
  | 'sign.invalid'
  | 'pid.unknown'
  | 'out_trade_no.invalid'
  | 'money.invalid'
  | 'money.out_of_range'
  | 'name.invalid'
  | 'param.invalid'
  | 'notify_url.invalid'
  | 'notify_url.private'
  | 'return_url.invalid'
  | 'type.unsupported'
  | 'wxpay.disabled'
  | 'order.money_differs'
  | 'order.amounts_busy'
  | 'mailbox.down'
  | 'rate.limited'
  | 'internal';

export type EpayRefusal = { ok: false; code: EpayRefusalCode };

/** Bounds of what a shop may send, in characters. */
export const EPAY_LIMITS = { name: 127, param: 512, url: 512 } as const;

/** The `msg` a shop gets for a refusal; `range` is RECHARGE_MIN/MAX in fen. */
export function refusalMessage(code: EpayRefusalCode, range: { minFen: number; maxFen: number }): string {
  switch (code) {
    case 'request.malformed':
      return 'malformed request: send the parameters form-encoded (application/x-www-form-urlencoded), each once';
    case 'sign_type.unsupported':
      return 'sign_type must be MD5';
    case 'sign.invalid':
      return 'invalid sign';
    case 'pid.unknown':
      return 'unknown pid';
    case 'out_trade_no.invalid':
      return 'out_trade_no must be 1 to 64 characters of A-Z a-z 0-9 . _ | -';
    case 'money.invalid':
      return 'money must be a positive amount in yuan with at most two decimals';
    case 'money.out_of_range':
      return `money must be between ${formatFen(range.minFen)} and ${formatFen(range.maxFen)}`;
    case 'name.invalid':
      return `name is required: at most ${EPAY_LIMITS.name} characters, no control characters`;
    case 'param.invalid':
      return `param must be at most ${EPAY_LIMITS.param} characters, without NUL`;
    case 'notify_url.invalid':
      return `notify_url must be an http:// or https:// URL of at most ${EPAY_LIMITS.url} characters`;
    case 'notify_url.private':
      return 'notify_url must reach a public address (not loopback or private)';
    case 'return_url.invalid':
      return `return_url must be an http:// or https:// URL of at most ${EPAY_LIMITS.url} characters`;
    case 'type.unsupported':
      return 'type must be alipay or wxpay';
    case 'wxpay.disabled':
      return 'wxpay is not enabled';
    case 'order.money_differs':
      return 'out_trade_no already used with another money';
    case 'order.amounts_busy':
      return 'too many orders of this amount are waiting, try again shortly';
    case 'mailbox.down':
      return 'payments are paused, try again later';
    case 'rate.limited':
      return 'too many requests';
    case 'internal':
      return 'internal error, try again later';
  }
}
