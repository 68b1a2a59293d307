// The checkout page in a real headless browser (Debian's chromium driven by playwright-core), phone-sized: the
// amount shown, the QR code on screen decoding to PAYEE_QR_URL, a DKIM-signed Alipay notification credited,
// the page turning "paid" and then following return_url with the signed parameters to a local shop server.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epaySignatureValid } from '../src/modules/epay/epay-sign.ts';
import { baseUrlOf, CHECKOUT_ENV, SHOP_KEY, SHOP_PID, shopOrder } from './support/checkout.ts';
import { eventually } from './support/eventually.ts';
import { freePort } from './support/free-port.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { PAYEE_QR_URL, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

// jsqr is CommonJS with an ES-style `default` in its types; under NodeNext the function sits on `.default`.
const jsQR = jsQRModule.default;
const OUTPUT = join(import.meta.dirname, '..', 'test-output', 'checkout');

/** The shop's return page: records every query it is sent to. */
async function startShopReturnPage(): Promise<{ server: Server; url: string; received: URL[] }> {
  const port = await freePort();
  const received: URL[] = [];
  const server = createServer((request, response) => {
    received.push(new URL(request.url ?? '/', `http://127.0.0.1:${port}`));
    response
      .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      .end('<h1>Thanks from the shop</h1>');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${port}/return`, received };
}

describe.each(DATABASE_KINDS)('checkout page in a browser on %s', (kind) => {
  let stack: Stack;
  let browser: Browser;
  let shop: Awaited<ReturnType<typeof startShopReturnPage>>;
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    [stack, browser, shop] = await Promise.all([
      startStack(kind, CHECKOUT_ENV),
      chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] }),
      startShopReturnPage(),
    ]);
    await stack.startService();
  });
  afterAll(async () => {
    await browser?.close();
    shop?.server.close();
    await stack?.dispose();
  });

  it('shows the amount and a scannable QR code, turns paid when the mail is credited, and returns to the shop', async () => {
    const orderNo = await shopOrder(stack, { payableFen: 888, returnUrl: shop.url, name: '月卡 <b>VIP</b>' });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    await page.goto(`${baseUrlOf(stack)}/pay/${orderNo}`);

    expect(await page.locator('#amount').textContent()).toBe('¥8.88');
    expect(await page.locator('#order-no').textContent()).toBe(orderNo);
    expect(await page.locator('#item-name').textContent()).toBe('月卡 <b>VIP</b>');
    expect(await page.locator('#countdown').textContent()).toMatch(/^(59|60):\d\d$/);
    const qr = PNG.sync.read(await page.locator('#qr').screenshot());
    expect(jsQR(new Uint8ClampedArray(qr.data), qr.width, qr.height)?.data).toBe(PAYEE_QR_URL);
    // Phone-sized: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(OUTPUT, `pending-${kind}.png`), fullPage: true });

    // The copy button puts the order number on the clipboard; the switch turns the page to English.
    await page.locator('#copy').click();
    await page.waitForFunction(() => document.getElementById('copy')?.textContent === '已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(orderNo);
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL((url) => url.search === '?lang=en');
    expect(await page.locator('h1').textContent()).toBe('Payment');
    expect(await page.locator('#amount').textContent()).toBe('¥8.88');
    await page.screenshot({ path: join(OUTPUT, `pending-en-${kind}.png`), fullPage: true });

    // The page notes the moment it shows "paid" (the test's own polling would blur it).
    await page.evaluate(() => {
      const root = document.getElementById('checkout');
      new MutationObserver(() => {
        if (root?.dataset.status === 'paid') root.dataset.paidShownAt ??= String(Date.now());
      }).observe(root as HTMLElement, { attributes: true });
    });
    await stack.deliver(forwardedAlipayTransfer({ amount: '8.88', memo: orderNo }));
    await page.locator('[data-state="paid"]').waitFor({ state: 'visible', timeout: 20_000 });
    const shownAt = Number(await page.locator('#checkout').getAttribute('data-paid-shown-at'));
    const [paid] = await stack.rows<{ closed_at: string }>(
      sql`select closed_at::text from orders where order_no = ${orderNo} and status = 'paid'`,
    );
    // closed_at is the credit's moment, taken before its transaction commits: an upper bound of the delay.
    const creditToShownMs = shownAt - new Date(paid?.closed_at ?? 0).getTime();
    console.log(`[${kind}] credit → "paid" on the page: ${creditToShownMs} ms`);
    expect(creditToShownMs).toBeLessThan(1000);
    expect(await page.locator('#qr-block').isHidden()).toBe(true);
    expect(await page.locator('#return-link').getAttribute('href')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/return\?pid=/,
    );
    await page.screenshot({ path: join(OUTPUT, `paid-${kind}.png`), fullPage: true });

    await page.waitForURL((url) => url.pathname === '/return', { timeout: 10_000 });
    const returned = await eventually(async () => shop.received[0]);
    const params = [...returned.searchParams.entries()];
    expect(Object.fromEntries(params)).toMatchObject({
      pid: SHOP_PID,
      trade_no: orderNo,
      type: 'alipay',
      money: '8.88',
      trade_status: 'TRADE_SUCCESS',
    });
    // As an EPay shop checks the return: the sign over every parameter it received, with its key.
    expect(epaySignatureValid(params, SHOP_KEY)).toBe(true);
    expect(page.url()).toBe(returned.toString());
    expect(refused).toEqual([]);
    await context.close();
  });

  it('counts down and turns expired when the order expires unpaid', async () => {
    const orderNo = await shopOrder(stack, {
      payableFen: 999,
      returnUrl: shop.url,
      expiresAt: new Date(Date.now() + 3_000),
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${baseUrlOf(stack)}/pay/${orderNo}?lang=en`);
    expect(await page.locator('#countdown').textContent()).toMatch(/^0:0[0-3]$/);
    await page.locator('[data-state="expired"]').waitFor({ state: 'visible', timeout: 10_000 });
    expect(await page.locator('#countdown').textContent()).toBe('0:00');
    expect(await page.locator('#qr-block').isHidden()).toBe(true);
    expect(await page.locator('[data-state="expired"]').textContent()).toContain('expired');
    await page.close();
  });
});
