// Every request the EPay API refuses gets a clear msg and creates nothing: bad or missing signatures, unknown
// shops, malformed fields, notify URLs of other schemes or on private addresses (the SSRF guard), and more
// requests than a client address or a shop may make in a minute.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  type EpayFixture,
  NOTIFY_URL,
  OTHER_SHOP,
  openEpayFixture,
  SHOP,
} from './support/epay-fixture.ts';
import {
  formBody,
  type Params,
  type ShopOrderInput,
  shopParams,
  signedLikeDujiaoka,
} from './support/epay-shop.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

let seq = 0;
const order = (extra: Partial<ShopOrderInput> = {}): ShopOrderInput => ({
  outTradeNo: `REF-${++seq}`,
  moneyFen: 1_000,
  notifyUrl: NOTIFY_URL,
  ...extra,
});
/** The parameters with one value replaced, not signed again. */
const replaced = (params: Params, name: string, value: string): Params =>
  params.map(([k, v]): [string, string] => [k, k === name ? value : v]);
/** The dujiaoka parameters with one changed (or added), signed again as the shop would. */
const changed = (name: string, value: string, base = order()): Params =>
  signedLikeDujiaoka(
    [...shopParams('dujiaoka', SHOP, base).filter(([k]) => k !== name), [name, value]],
    SHOP.key,
  );

describe.each(DATABASE_KINDS)('the EPay API refusing on %s', (kind) => {
  let fx: EpayFixture;
  let gateway: string;
  const mapi = async (base: string, params: Params, from?: string) =>
    JSON.parse(
      (await call(`${base}/mapi.php`, { method: 'POST', form: formBody(params), ...(from ? { from } : {}) }))
        .body,
    );
  const counts = async () =>
    (
      await fx.database.rows<{
        orders: number;
        shop_orders: number;
        customers: number;
      }>(sql`select (select count(*) from orders)::int as orders,
        (select count(*) from shop_orders)::int as shop_orders, (select count(*) from customers)::int as customers`)
    )[0];

  beforeAll(async () => {
    fx = await openEpayFixture(kind);
    gateway = await fx.serve();
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('refuses bad, missing and wrongly computed signatures and unknown pids, creating nothing', async () => {
    const good = shopParams('dujiaoka', SHOP, order());
    const cases: Array<[Params, string]> = [
      [good.map(([k, v]): [string, string] => [k, k === 'sign' ? '0'.repeat(32) : v]), 'invalid sign'],
      [good.filter(([k]) => k !== 'sign'), 'invalid sign'],
      // Signed over `10.00`, sent as `10`: the signature covers the raw string, not the amount.
      [good.map(([k, v]): [string, string] => [k, k === 'money' ? '10.00' : v]), 'invalid sign'],
      [
        shopParams('dujiaoka', OTHER_SHOP, order()).map(([k, v]): [string, string] => [
          k,
          k === 'pid' ? SHOP.pid : v,
        ]),
        'invalid sign',
      ],
      [shopParams('dujiaoka', { pid: '4242', key: SHOP.key }, order()), 'unknown pid'],
      [replaced(shopParams('dujiaoka', SHOP, order()), 'sign_type', 'RSA'), 'sign_type must be MD5'],
      [[...good, ['money', '10']], expect.stringContaining('malformed request') as unknown as string],
    ];
    const before = await counts();
    for (const [params, msg] of cases) expect(await mapi(gateway, params)).toEqual({ code: -1, msg });
    expect(await counts()).toEqual(before);
  });

  it('refuses malformed out_trade_no, money, name, param and type with a clear msg, creating nothing', async () => {
    const refusedFor: Array<[string, string, RegExp]> = [
      ['out_trade_no', 'A'.repeat(65), /^out_trade_no must be 1 to 64/],
      ['out_trade_no', 'has space', /^out_trade_no/],
      ['out_trade_no', '<script>', /^out_trade_no/],
      ...['0', '-1', '10.001', '1e3', 'abc', ' 10', '010', '10.', '.5', '１０'].map(
        (money): [string, string, RegExp] => ['money', money, /^money must be a positive amount/],
      ),
      ['money', '5000.01', /^money must be between 1\.00 and 5000\.00/],
      ['money', '0.99', /^money must be between/],
      ['name', '', /^name is required/],
      ['name', '月'.repeat(128), /^name is required: at most 127/],
      ['name', 'line\nbreak', /no control characters/],
      ['param', 'p'.repeat(513), /^param must be at most 512/],
      ['param', 'uid=7\u0000', /^param must be at most 512 characters, without NUL$/],
      ['type', 'qqpay', /^type must be alipay or wxpay/],
      ['type', 'wxpay', /^wxpay is not enabled$/],
    ];
    const before = await counts();
    for (const [name, value, msg] of refusedFor) {
      const answer = await mapi(gateway, changed(name, value));
      expect({ name, value, ...answer }).toEqual({ name, value, code: -1, msg: expect.stringMatching(msg) });
    }
    expect(await mapi(gateway, changed('name', '月'.repeat(127)))).toMatchObject({ code: 1 });
    expect(await counts()).toMatchObject({ orders: (before?.orders ?? 0) + 1 });
  });

  it('refuses notify and return URLs of other schemes or too long', async () => {
    const urls = [
      'ftp://203.0.113.10/n',
      'javascript:alert(1)',
      'data:text/html,x',
      'http://',
      `${NOTIFY_URL}?${'a'.repeat(500)}`,
      'http://203.0.113.10/a b',
    ];
    const before = await counts();
    for (const url of urls) {
      expect(await mapi(gateway, changed('notify_url', url))).toEqual({
        code: -1,
        msg: expect.stringMatching(/^notify_url must be an http/),
      });
      expect(await mapi(gateway, changed('return_url', url))).toEqual({
        code: -1,
        msg: expect.stringMatching(/^return_url must be an http/),
      });
    }
    expect(await mapi(gateway, changed('notify_url', ''))).toMatchObject({
      msg: expect.stringMatching(/^notify_url/),
    });
    expect(await counts()).toEqual(before);
  });

  it('refuses notify URLs on loopback and private addresses unless ALLOW_PRIVATE_NOTIFY=true', async () => {
    const privateUrls = [
      'http://127.0.0.1:8080/n',
      'http://10.1.2.3/n',
      'http://[::1]/n',
      'http://0x7f.1/n',
      'http://192.168.1.1/n',
      'http://[::ffff:127.0.0.1]/n',
      'http://localhost/n',
    ];
    const before = await counts();
    for (const url of privateUrls) {
      expect(await mapi(gateway, changed('notify_url', url))).toEqual({
        code: -1,
        msg: 'notify_url must reach a public address (not loopback or private)',
      });
    }
    expect(await counts()).toEqual(before);
    const allowing = await fx.serve({ env: { ALLOW_PRIVATE_NOTIFY: 'true' } });
    for (const url of privateUrls)
      expect(await mapi(allowing, changed('notify_url', url))).toMatchObject({ code: 1 });
  });

  it('refuses what is not a form, or too large, and answers submit.php errors with a page that echoes nothing sent', async () => {
    const params = shopParams('dujiaoka', SHOP, order());
    const json = await call(`${gateway}/mapi.php`, {
      method: 'POST',
      form: JSON.stringify(Object.fromEntries(params)),
      contentType: 'application/json',
    });
    expect(JSON.parse(json.body)).toMatchObject({
      code: -1,
      msg: expect.stringContaining('malformed request'),
    });
    const large = await call(`${gateway}/mapi.php`, {
      method: 'POST',
      form: `${formBody(params)}&pad=${'x'.repeat(20_000)}`,
    });
    expect(JSON.parse(large.body)).toMatchObject({ code: -1 });
    const page = await call(
      `${gateway}/submit.php?${formBody(changed('out_trade_no', '<script>alert(1)</script>'))}`,
    );
    expect(page.status).toBe(400);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('out_trade_no must be 1 to 64');
    expect(page.body).not.toContain('<script>');
  });

  it('limits creation per client address: the next request that minute gets "too many requests" (429 on submit.php)', async () => {
    const limited = await fx.serve({ limits: { perIpPerMinute: 3, perPidPerMinute: 1_000 } });
    const from = '127.0.0.2';
    // A bad signature counts: guessing is limited too.
    expect(
      await mapi(limited, replaced(shopParams('dujiaoka', SHOP, order()), 'sign', '0'.repeat(32)), from),
    ).toMatchObject({ msg: 'invalid sign' });
    for (let i = 0; i < 2; i++)
      expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), from)).toMatchObject({ code: 1 });
    const before = await counts();
    expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), from)).toEqual({
      code: -1,
      msg: 'too many requests',
    });
    const page = await call(`${limited}/submit.php?${formBody(shopParams('dujiaoka', SHOP, order()))}`, {
      from,
    });
    expect(page.status).toBe(429);
    expect(await counts()).toEqual(before);
    expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), '127.0.0.3')).toMatchObject({
      code: 1,
    });
  });

  it("limits creation per pid across addresses, and a stranger's bad signatures do not spend a shop's allowance", async () => {
    const limited = await fx.serve({ limits: { perIpPerMinute: 1_000, perPidPerMinute: 2 } });
    for (let i = 0; i < 5; i++)
      expect(
        await mapi(
          limited,
          replaced(shopParams('dujiaoka', SHOP, order()), 'sign', 'f'.repeat(32)),
          '127.0.0.4',
        ),
      ).toMatchObject({
        msg: 'invalid sign',
      });
    expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), '127.0.0.4')).toMatchObject({
      code: 1,
    });
    expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), '127.0.0.5')).toMatchObject({
      code: 1,
    });
    expect(await mapi(limited, shopParams('dujiaoka', SHOP, order()), '127.0.0.6')).toEqual({
      code: -1,
      msg: 'too many requests',
    });
    expect(await mapi(limited, shopParams('dujiaoka', OTHER_SHOP, order()), '127.0.0.6')).toMatchObject({
      code: 1,
    });
  });
});

describe.each(DATABASE_KINDS)('the EPay API with a WeChat Pay code on %s', (kind) => {
  let fx: EpayFixture;
  beforeAll(async () => {
    fx = await openEpayFixture(kind, { PAYEE_QR_URL_WECHAT: 'wxp://f2f0wechat-test' });
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('gives alipay orders provider alipay, wxpay orders wechat, and orders without type none (chosen on the page)', async () => {
    const gateway = await fx.serve();
    const providers: Record<string, string | null> = {};
    for (const type of ['alipay', 'wxpay', undefined]) {
      const params = shopParams('dujiaoka', SHOP, order(type === undefined ? {} : { type }));
      const answer = JSON.parse(
        (await call(`${gateway}/mapi.php`, { method: 'POST', form: formBody(params) })).body,
      );
      const [row] = await fx.database.rows<{ provider: string | null }>(
        sql`select provider from orders where order_no = ${answer.trade_no}`,
      );
      providers[String(type)] = row?.provider ?? null;
    }
    expect(providers).toEqual({ alipay: 'alipay', wxpay: 'wechat', undefined: null });
  });
});

describe.each(DATABASE_KINDS)('the EPay API when the database fails on %s', (kind) => {
  let fx: EpayFixture;
  beforeAll(async () => {
    fx = await openEpayFixture(kind);
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it('answers a fixed text, logs the error, and shows the caller nothing of it', async () => {
    const gateway = await fx.serve();
    await fx.database.rows(sql`drop table shop_orders cascade`);
    const params = shopParams('dujiaoka', SHOP, order());
    const mapi = await call(`${gateway}/mapi.php`, { method: 'POST', form: formBody(params) });
    expect(JSON.parse(mapi.body)).toEqual({ code: -1, msg: 'internal error, try again later' });
    const page = await call(`${gateway}/submit.php?${formBody(params)}`);
    expect(page.status).toBe(500);
    const query = await call(`${gateway}/api.php?act=order&pid=${SHOP.pid}&key=${SHOP.key}&out_trade_no=X`);
    expect(JSON.parse(query.body)).toEqual({ code: -1, msg: 'internal error, try again later' });
    for (const body of [mapi.body, page.body, query.body])
      expect(body).not.toMatch(/shop_orders|relation|select/i);
    expect(fx.logged.length).toBeGreaterThanOrEqual(3);
  });
});
