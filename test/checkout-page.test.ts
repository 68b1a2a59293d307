// The checkout page over plain HTTP, against the whole service: what it shows, in which language, under which
// Content-Security-Policy; the status its script polls (the return URL only once paid, signed); shop input
// escaped; unknown orders a bare 404.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epaySignatureValid } from '../src/modules/epay/epay-sign.ts';
import { baseUrlOf, CHECKOUT_ENV, SHOP_KEY, SHOP_PID, shopOrder } from './support/checkout.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const HOSTILE = '<script>alert("x")</script>\'"&';

describe.each(DATABASE_KINDS)('checkout page on %s', (kind) => {
  let stack: Stack;
  let base: string;
  beforeAll(async () => {
    stack = await startStack(kind, CHECKOUT_ENV);
    await stack.startService();
    base = baseUrlOf(stack);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const page = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
  const status = async (orderNo: string) =>
    (await (await page(`/pay/${orderNo}/status`)).json()) as { status: string; returnUrl?: string };

  it('shows the exact amount, the order number to copy and the QR code, under a strict CSP with a nonce', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 1234 });
    const response = await page(`/pay/${orderNo}`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('<div class="value" id="amount">¥12.34</div>');
    expect(body).toContain(`<code id="order-no">${orderNo}</code>`);
    expect(body).toContain('id="copy"');
    expect(body).toMatch(/<div class="qr" id="qr"><svg [^>]*viewBox/);
    expect(body).toContain('name="viewport"');
    const csp = response.headers.get('content-security-policy') ?? '';
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(body).toContain(`<script nonce="${nonce}">`);
    expect(body.match(/<script/g)).toHaveLength(1);
    // Nothing is loaded from anywhere: no src, no stylesheet link.
    expect(body).not.toMatch(/\ssrc=|<link/);
    // A fresh nonce per page.
    const again = (await page(`/pay/${orderNo}`)).headers.get('content-security-policy');
    expect(again).not.toBe(csp);
  });

  it('answers in Chinese by default, in English by Accept-Language, and as ?lang= says', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 1500 });
    const zh = await (await page(`/pay/${orderNo}`)).text();
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('请支付');
    expect(zh).toContain(`href="/pay/${orderNo}?lang=en">English</a>`);
    const en = await (await page(`/pay/${orderNo}`, { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.3' })).text();
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Pay exactly');
    expect(en).toContain(`href="/pay/${orderNo}?lang=zh">中文</a>`);
    const preferZh = await (await page(`/pay/${orderNo}`, { 'accept-language': 'en;q=0.4,zh-CN' })).text();
    expect(preferZh).toContain('请支付');
    const switched = await (await page(`/pay/${orderNo}?lang=zh`, { 'accept-language': 'en' })).text();
    expect(switched).toContain('请支付');
    const toEnglish = await (await page(`/pay/${orderNo}?lang=en`, { 'accept-language': 'zh-CN' })).text();
    expect(toEnglish).toContain('Pay exactly');
  });

  it('escapes a hostile name, and a hostile param in the paid page return link', async () => {
    const orderNo = await shopOrder(stack, {
      payableFen: 1601,
      name: HOSTILE,
      param: HOSTILE,
      returnUrl: 'https://shop.example/return?from=mailpay',
    });
    const pending = await (await page(`/pay/${orderNo}`)).text();
    expect(pending).not.toContain('<script>alert');
    expect(pending).toContain(
      '<span id="item-name">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&quot;&amp;</span>',
    );
    await stack.rows(sql`update orders set status = 'paid', closed_at = now() where order_no = ${orderNo}`);
    const paid = await (await page(`/pay/${orderNo}`)).text();
    expect(paid).not.toContain('<script>alert');
    const href = /<a id="return-link" href="([^"]*)"/.exec(paid)?.[1] ?? '';
    const returnUrl = new URL(href.replaceAll('&amp;', '&'));
    expect(returnUrl.searchParams.get('param')).toBe(HOSTILE);
    expect(returnUrl.searchParams.get('name')).toBe(HOSTILE);
  });

  it('reports pending without any return URL, then paid with the signed return URL', async () => {
    const orderNo = await shopOrder(stack, {
      payableFen: 1700,
      money: '17',
      returnUrl: 'https://shop.example/return',
      outTradeNo: 'SHOP-17',
    });
    expect(await status(orderNo)).toEqual({ status: 'pending' });
    const pendingPage = await (await page(`/pay/${orderNo}`)).text();
    expect(pendingPage).not.toContain('shop.example');
    await stack.rows(sql`update orders set status = 'paid', closed_at = now() where order_no = ${orderNo}`);
    const paid = await status(orderNo);
    expect(paid.status).toBe('paid');
    const url = new URL(paid.returnUrl ?? '');
    expect(`${url.origin}${url.pathname}`).toBe('https://shop.example/return');
    const params = [...url.searchParams.entries()];
    expect(Object.fromEntries(params)).toMatchObject({
      pid: SHOP_PID,
      trade_no: orderNo,
      out_trade_no: 'SHOP-17',
      type: 'alipay',
      money: '17',
      trade_status: 'TRADE_SUCCESS',
      sign_type: 'MD5',
    });
    expect(epaySignatureValid(params, SHOP_KEY)).toBe(true);
    expect(epaySignatureValid(params, 'another-key-0123456789')).toBe(false);
  });

  it('reports an order past its expiry as expired, before the sweep and after', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 1800, expiresAt: new Date(Date.now() - 1000) });
    expect(await status(orderNo)).toEqual({ status: 'expired' });
    const body = await (await page(`/pay/${orderNo}`)).text();
    expect(body).toMatch(/<p class="state expired" data-state="expired" >/);
    expect(body).not.toContain('<svg');
    await stack.rows(sql`update orders set status = 'expired' where order_no = ${orderNo}`);
    expect(await status(orderNo)).toEqual({ status: 'expired' });
  });

  it('answers an unknown or malformed trade_no with a bare 404 page', async () => {
    for (const path of ['/pay/ABCDEFGH', '/pay/%3Cscript%3E', '/pay/abc', '/pay/', '/pay/ABCDEFGH/x/y']) {
      const response = await page(path);
      const body = await response.text();
      expect(response.status, path).toBe(404);
      expect(body).not.toContain('script%3E');
      expect(body).not.toContain('<script');
    }
    const unknownStatus = await page('/pay/ABCDEFGH/status');
    expect(unknownStatus.status).toBe(404);
    expect(await unknownStatus.json()).toEqual({ error: 'not found' });
  });

  it('finds an order by its number in lower case', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 1900 });
    const response = await page(`/pay/${orderNo.toLowerCase()}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<code id="order-no">${orderNo}</code>`);
  });
});
