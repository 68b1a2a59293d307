// Shops take payments through the EPay API as their own software calls it: dujiaoka's form, v2board's and
// SSPanel's submit.php links and a mapi.php client get an order and its checkout page, a repeat gets the same
// order, two identical requests at once make one, and api.php reports the order before and after it is paid.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/shared/config/config.ts';
import {
  call,
  type EpayFixture,
  NOTIFY_URL,
  OTHER_SHOP,
  openEpayFixture,
  PUBLIC_URL,
  SHOP,
} from './support/epay-fixture.ts';
import {
  formBody,
  type ShopOrderInput,
  shopParams,
  signedLikeDujiaoka,
  submitUrl,
} from './support/epay-shop.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const order = (outTradeNo: string, extra: Partial<ShopOrderInput> = {}): ShopOrderInput => ({
  outTradeNo,
  moneyFen: 1_000,
  notifyUrl: NOTIFY_URL,
  ...extra,
});

describe.each(DATABASE_KINDS)('the EPay API on %s', (kind) => {
  let fx: EpayFixture;
  let gateway: string;
  const mapi = async (params: Array<[string, string]>) =>
    JSON.parse((await call(`${gateway}/mapi.php`, { method: 'POST', form: formBody(params) })).body);
  const shopRow = (outTradeNo: string, pid = SHOP.pid) =>
    fx.database.rows<Record<string, unknown>>(
      sql`select s.pid, s.type, s.name, s.money, s.param, s.client_ip, o.order_no, o.requested_fen, o.provider,
                 o.customer_id, c.channel, c.external_id
          from shop_orders s join orders o on o.id = s.order_id join customers c on c.id = o.customer_id
          where s.pid = ${pid} and s.out_trade_no = ${outTradeNo}`,
    );

  beforeAll(async () => {
    fx = await openEpayFixture(kind);
    gateway = await fx.serve();
  });
  afterAll(async () => {
    await fx?.dispose();
  });

  it("takes dujiaoka's auto-submitted form (money=10, sign over the raw strings) and sends the browser to the checkout page", async () => {
    const params = shopParams('dujiaoka', SHOP, order('DJK-1', { type: 'alipay' }));
    expect(params).toContainEqual(['money', '10']);
    const answer = await call(`${gateway}/submit.php?${formBody(params)}`);
    expect(answer.status).toBe(302);
    const [row] = await shopRow('DJK-1');
    expect(answer.headers.location).toBe(`${PUBLIC_URL}/pay/${row?.order_no}`);
    expect(row).toMatchObject({
      money: '10',
      type: 'alipay',
      name: 'VIP 月卡',
      requested_fen: 1_000,
      provider: null, // one collection code: scope "any"
      channel: 'shop',
      external_id: SHOP.pid,
    });
  });

  it("takes v2board's and SSPanel's submit.php links (http_build_query, no type) by GET and by a POSTed form", async () => {
    const v2board = shopParams('v2board', SHOP, order('V2B-1', { moneyFen: 1_050, name: 'V2B 1 月' }));
    expect((await call(submitUrl(gateway, v2board))).status).toBe(302);
    const sspanel = shopParams('sspanel', SHOP, order('SSP-1', { moneyFen: 1_234 }));
    const posted = await call(`${gateway}/submit.php`, { method: 'POST', form: formBody(sspanel) });
    expect(posted.status).toBe(302);
    expect(await shopRow('V2B-1')).toMatchObject([
      { money: '10.5', type: null, name: 'V2B 1 月', requested_fen: 1_050 },
    ]);
    expect(await shopRow('SSP-1')).toMatchObject([{ money: '12.34', type: null, requested_fen: 1_234 }]);
  });

  it('answers mapi.php with JSON: the trade_no and the checkout page as payurl', async () => {
    const answer = await mapi(shopParams('dujiaoka', SHOP, order('MAPI-1', { type: 'alipay' })));
    expect(answer).toEqual({
      code: 1,
      msg: 'succ',
      trade_no: expect.stringMatching(/^[A-Z0-9]+$/),
      payurl: `${PUBLIC_URL}/pay/${answer.trade_no}`,
    });
    expect(await shopRow('MAPI-1')).toMatchObject([{ order_no: answer.trade_no }]);
  });

  it('tolerates device and clientip (keeping clientip), and an empty param left out of the signature', async () => {
    const extra = { device: 'mobile', clientip: '198.51.100.7' };
    const answer = await mapi(shopParams('dujiaoka', SHOP, order('EXTRA-1', { param: '', extra })));
    expect(answer.code).toBe(1);
    expect(await shopRow('EXTRA-1')).toMatchObject([{ client_ip: '198.51.100.7', param: null }]);
    const withParam = await mapi(shopParams('dujiaoka', SHOP, order('EXTRA-2', { param: 'uid=7&plan=月' })));
    expect(withParam.code).toBe(1);
    expect(await shopRow('EXTRA-2')).toMatchObject([{ param: 'uid=7&plan=月', client_ip: null }]);
  });

  it('keeps name and param exactly as sent, whatever SQL or JSON would make of them', async () => {
    const name = `Plan "Pro", 1\\2 \u{1F680} 月 ' ; --`;
    const param = `{"uid":7}\\n\u0001,'); drop table orders; --`;
    const answer = await mapi(shopParams('dujiaoka', SHOP, order('RAW-1', { name, param })));
    expect(answer.code).toBe(1);
    expect(await shopRow('RAW-1')).toMatchObject([{ name, param, order_no: answer.trade_no }]);
  });

  it('returns the same order for the same pid and out_trade_no with the same money (10 or 10.00), refuses other money', async () => {
    const first = await mapi(shopParams('dujiaoka', SHOP, order('IDEM-1')));
    const again = await mapi(shopParams('dujiaoka', SHOP, order('IDEM-1')));
    const asV2board = shopParams('v2board', SHOP, order('IDEM-1'));
    const padded = shopParams('dujiaoka', SHOP, order('IDEM-1')).map(([k, v]): [string, string] => [
      k,
      k === 'money' ? '10.00' : v,
    ]);
    const paddedAnswer = await mapi(signedLikeDujiaoka(padded, SHOP.key));
    expect([again.trade_no, paddedAnswer.trade_no]).toEqual([first.trade_no, first.trade_no]);
    expect((await call(submitUrl(gateway, asV2board))).headers.location).toBe(
      `${PUBLIC_URL}/pay/${first.trade_no}`,
    );
    const otherMoney = await mapi(shopParams('dujiaoka', SHOP, order('IDEM-1', { moneyFen: 2_000 })));
    expect(otherMoney).toEqual({ code: -1, msg: 'out_trade_no already used with another money' });
    const otherShop = await mapi(shopParams('dujiaoka', OTHER_SHOP, order('IDEM-1')));
    expect(otherShop.code).toBe(1);
    expect(otherShop.trade_no).not.toBe(first.trade_no);
    expect(await shopRow('IDEM-1')).toHaveLength(1);
  });

  it.runIf(kind === 'postgres')('makes one order of identical requests sent at the same moment', async () => {
    const params = shopParams('dujiaoka', SHOP, order('RACE-1', { moneyFen: 4_321 }));
    const answers = await Promise.all(Array.from({ length: 12 }, () => mapi(params)));
    const tradeNos = new Set(answers.map((answer) => answer.trade_no));
    expect(answers.every((answer) => answer.code === 1)).toBe(true);
    expect(tradeNos.size).toBe(1);
    expect(await shopRow('RACE-1')).toHaveLength(1);
    const orders = await fx.database.rows(sql`select id from orders where requested_fen = 4321`);
    expect(orders).toHaveLength(1);
  });

  it("gives orders sent at once their own payable amounts, and a repeat among them the first one's order", async () => {
    const burst = Array.from({ length: 20 }, (_, i) =>
      shopParams('dujiaoka', i % 2 ? SHOP : OTHER_SHOP, order(`BURST-${i}`, { moneyFen: 7_700 })),
    );
    const repeat = shopParams('dujiaoka', OTHER_SHOP, order('BURST-0', { moneyFen: 7_700 }));
    const answers = await Promise.all([...burst, repeat].map((params) => mapi(params)));
    expect(new Set(answers.slice(0, 20).map((answer) => answer.trade_no)).size).toBe(20);
    expect(answers[20]).toMatchObject({ code: 1, trade_no: answers[0].trade_no });
    const payable = await fx.database.rows<{ n: number }>(
      sql`select count(distinct payable_fen)::int as n from orders where requested_fen = 7700`,
    );
    expect(payable).toEqual([{ n: 20 }]);
  });

  it('reports an order on api.php by trade_no and out_trade_no, unpaid and then paid', async () => {
    const created = await mapi(
      shopParams('dujiaoka', SHOP, order('QUERY-1', { moneyFen: 2_500, param: 'p1' })),
    );
    const query = (q: string) => call(`${gateway}/api.php?act=order&${q}`).then((a) => JSON.parse(a.body));
    const byTradeNo = `pid=${SHOP.pid}&key=${SHOP.key}&trade_no=${created.trade_no}`;
    const before = await query(byTradeNo);
    expect(before).toMatchObject({
      code: 1,
      trade_no: created.trade_no,
      out_trade_no: 'QUERY-1',
      pid: SHOP.pid,
      name: 'VIP 月卡',
      money: '25',
      param: 'p1',
      status: 0,
      endtime: null,
      addtime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    const [row] = await fx.database.rows<{ payable_fen: number }>(
      sql`select payable_fen from orders where order_no = ${created.trade_no}`,
    );
    expect(await fx.pay(created.trade_no, row?.payable_fen ?? 0)).toBe('credited');
    const after = await query(`pid=${SHOP.pid}&key=${SHOP.key}&out_trade_no=QUERY-1`);
    expect(after).toMatchObject({ code: 1, trade_no: created.trade_no, status: 1, money: '25' });
    expect(after.endtime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const notifies = await fx.database.rows(
      sql`select d.kind from web_deliveries d join orders o on o.id = d.order_id where o.order_no = ${created.trade_no}`,
    );
    expect(notifies).toEqual([{ kind: 'shop_notify' }]);
  });

  it("answers api.php only with the right key, and never with another shop's order", async () => {
    const created = await mapi(shopParams('dujiaoka', SHOP, order('QUERY-2')));
    const query = (q: string) => call(`${gateway}/api.php?act=order&${q}`).then((a) => JSON.parse(a.body));
    expect(await query(`pid=${SHOP.pid}&key=wrong-key-0123456789&trade_no=${created.trade_no}`)).toEqual({
      code: -3,
      msg: 'unknown pid or wrong key',
    });
    expect(await query(`pid=9999&key=${SHOP.key}&trade_no=${created.trade_no}`)).toMatchObject({ code: -3 });
    expect(await query(`pid=${OTHER_SHOP.pid}&key=${OTHER_SHOP.key}&trade_no=${created.trade_no}`)).toEqual({
      code: -1,
      msg: 'order not found',
    });
    expect(await query(`pid=${SHOP.pid}&key=${SHOP.key}`)).toMatchObject({ code: -4 });
  });
});

describe('the EPay API configuration', () => {
  it('requires PUBLIC_URL with MERCHANTS, and names it', () => {
    const parsed = parseConfig({
      TELEGRAM_BOT_TOKEN: '123456:TEST-token',
      ADMIN_CHAT_IDS: '9001',
      IMAP_HOST: '127.0.0.1',
      IMAP_USER: 'tester',
      IMAP_PASSWORD: 'secret',
      PAYEE_QR_URL: 'https://qr.alipay.com/fkx12345test',
      MERCHANTS: `${SHOP.pid}:${SHOP.key}`,
    });
    expect(parsed).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^PUBLIC_URL: is required when MERCHANTS is set/)],
    });
    expect(JSON.stringify(parsed)).not.toContain(SHOP.key);
  });
});
