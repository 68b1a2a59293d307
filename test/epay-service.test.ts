// The whole service serves the EPay API beside /healthz when MERCHANTS is set (main.ts's wiring), and not
// at all without it.
import { afterEach, describe, expect, it } from 'vitest';
import { NOTIFY_URL, SHOP } from './support/epay-fixture.ts';
import { formBody, shopParams } from './support/epay-shop.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('the service with MERCHANTS on %s', (kind) => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.dispose();
    stack = undefined;
  });

  it('creates a shop order through /mapi.php and links its checkout page under PUBLIC_URL', async () => {
    stack = await startStack(kind, {
      MERCHANTS: `${SHOP.pid}:${SHOP.key}`,
      PUBLIC_URL: 'https://pay.example.test/',
    });
    await stack.startService({ waitForMailbox: false });
    const params = shopParams('dujiaoka', SHOP, {
      outTradeNo: 'SVC-1',
      moneyFen: 1_000,
      notifyUrl: NOTIFY_URL,
    });
    const response = await fetch(`http://127.0.0.1:${stack.env.HTTP_PORT}/mapi.php`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(params),
    });
    const answer = await response.json();
    expect(answer).toMatchObject({ code: 1, payurl: `https://pay.example.test/pay/${answer.trade_no}` });
  });

  it.runIf(kind === 'pglite')('serves no EPay route without MERCHANTS', async () => {
    stack = await startStack(kind);
    await stack.startService({ waitForMailbox: false });
    const response = await fetch(`http://127.0.0.1:${stack.env.HTTP_PORT}/mapi.php`, {
      method: 'POST',
      body: 'pid=1',
    });
    expect(response.status).toBe(404);
  });
});
