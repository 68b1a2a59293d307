// The checkout page's pure rules: which order a path names, the status a payer sees, the language, and the
// return URL — given only once paid, only to http(s), signed with the shop's key.
import { describe, expect, it } from 'vitest';
import {
  type CheckoutOrder,
  checkoutStatus,
  paidReturnUrl,
  tradeNoOf,
} from '../src/modules/checkout/checkout.models.ts';
import { checkoutLanguage } from '../src/modules/checkout/checkout-texts.ts';
import { epaySignatureValid } from '../src/modules/epay/epay-sign.ts';

const at = new Date('2026-12-01T10:00:00Z');
const order: CheckoutOrder = {
  id: 1,
  orderNo: 'K7M3Q9XA',
  status: 'pending',
  requestedFen: 1000,
  payableFen: 999,
  provider: null,
  expiresAt: new Date(at.getTime() + 60_000),
  pid: '1001',
  outTradeNo: 'T-1',
  type: null,
  name: 'VIP',
  money: '10',
  param: null,
  returnUrl: 'https://shop.example/return',
};
const keyOf = (pid: string) => (pid === '1001' ? 'shop-key-0123456789abcdef' : undefined);

describe('checkout rules', () => {
  it('reads an order number from a path segment in any case, and nothing else', () => {
    expect(tradeNoOf('k7m3q9xa')).toBe('K7M3Q9XA');
    for (const segment of ['', 'K7M3Q9X', 'K7M3Q9XA0', 'K7M3Q9X0', '<script>', 'K7M3Q9XA'.repeat(10)]) {
      expect(tradeNoOf(segment), segment).toBeNull();
    }
  });

  it('shows a pending order as expired from the second it expires, before the sweep', () => {
    expect(checkoutStatus(order, at)).toBe('pending');
    expect(checkoutStatus(order, order.expiresAt)).toBe('expired');
    expect(checkoutStatus({ ...order, status: 'paid' }, order.expiresAt)).toBe('paid');
  });

  it('picks zh or en by ?lang=, else by Accept-Language preference, else Chinese', () => {
    expect(checkoutLanguage('en', 'zh-CN')).toBe('en');
    expect(checkoutLanguage(null, 'fr-FR,en;q=0.8,zh;q=0.5')).toBe('en');
    expect(checkoutLanguage(null, 'en;q=0.2,zh-TW;q=0.9')).toBe('zh');
    expect(checkoutLanguage(null, 'en;q=0,de')).toBe('zh');
    expect(checkoutLanguage('xx', 'en;q=abc')).toBe('zh');
    expect(checkoutLanguage(null, undefined)).toBe('zh');
  });

  it('gives the signed return URL only once paid, only for http(s), only for a known shop', () => {
    expect(paidReturnUrl(order, 'pending', keyOf)).toBeNull();
    expect(paidReturnUrl(order, 'expired', keyOf)).toBeNull();
    const url = new URL(paidReturnUrl({ ...order, provider: 'wechat' }, 'paid', keyOf) ?? '');
    expect(url.searchParams.get('type')).toBe('wxpay');
    expect(epaySignatureValid([...url.searchParams.entries()], 'shop-key-0123456789abcdef')).toBe(true);
    for (const returnUrl of [
      'javascript:alert(1)//',
      'data:text/html,x',
      '//shop.example/',
      'https://',
      null,
    ]) {
      expect(paidReturnUrl({ ...order, returnUrl }, 'paid', keyOf), String(returnUrl)).toBeNull();
    }
    expect(paidReturnUrl({ ...order, pid: '2002' }, 'paid', keyOf)).toBeNull();
  });
});
