// The HTTP outbox over real HTTP against shop doubles that verify notifies as Xboard does: delivered once on
// `success`, retried on 5xx / other bodies / time-outs, side by side so a hanging shop holds up no one else,
// private addresses refused, given up after the last try with the admins told, and events POSTed signed.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../src/shared/db/store.ts';
import { startEventsReceiver } from './support/events-receiver.ts';
import { type ShopDouble, SUCCESS, startShopDouble } from './support/shop-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import {
  openUseCaseDatabase,
  queuedFor,
  testConfig,
  type UseCaseDatabase,
} from './support/use-case-database.ts';
import {
  notifyOf,
  paidShopOrders,
  SHOP_KEY,
  SHOP_PID,
  settledNotifyOf,
  startTestWebOutbox,
  tradeNo,
} from './support/web-outbox.ts';

const EVENTS_SECRET = 'events-secret-0123456789';
const merchantEnv = (extra: Record<string, string> = {}) =>
  testConfig({
    MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
    PUBLIC_URL: 'https://pay.example.com',
    ALLOW_PRIVATE_NOTIFY: 'true',
    ...extra,
  });

describe.each(DATABASE_KINDS)('the HTTP outbox on %s', (kind) => {
  let use: UseCaseDatabase;
  let shop: ShopDouble;
  let running: Array<{ stop(): Promise<void> }> = [];
  let seq = 0;
  const next = () => tradeNo('KWEBD', seq++);
  beforeAll(async () => {
    use = await openUseCaseDatabase(kind);
  });
  afterEach(async () => {
    for (const outbox of running) await outbox.stop();
    running = [];
    await shop?.close();
  });
  afterAll(async () => {
    await use?.dispose();
  });
  const start = (
    ...args: Parameters<typeof startTestWebOutbox> extends [unknown, ...infer Rest] ? Rest : never
  ) => {
    const outbox = startTestWebOutbox(use.database, ...args);
    running.push(outbox);
    return outbox;
  };

  it('delivers a notify that the shop verifies as Xboard does, once, and records the try', async () => {
    shop = await startShopDouble(SHOP_KEY);
    const orderNo = next();
    await paidShopOrders(use.database, [
      {
        orderNo,
        payableFen: 1000,
        money: '10',
        name: 'VIP 月卡 & more',
        param: 'uid=7',
        notifyUrl: shop.notifyUrl(),
      },
    ]);
    start(merchantEnv());
    expect(await settledNotifyOf(use.database, orderNo)).toEqual({
      status: 'delivered',
      attempts: 1,
      outcomes: ['delivered'],
      statuses: [200],
    });
    expect(shop.requests).toHaveLength(1);
    const [request] = shop.requests;
    expect(request?.verified).toBe(true);
    expect(request?.method).toBe('GET');
    expect(request?.params).toEqual({
      pid: SHOP_PID,
      trade_no: orderNo,
      out_trade_no: `SHOP-${orderNo}`,
      type: 'alipay',
      name: 'VIP 月卡 & more',
      money: '10',
      trade_status: 'TRADE_SUCCESS',
      param: 'uid=7',
      sign: expect.stringMatching(/^[0-9a-f]{32}$/),
      sign_type: 'MD5',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(shop.requests).toHaveLength(1);
  });

  it('retries 5xx, other bodies and time-outs until the shop answers success, recording each try', async () => {
    shop = await startShopDouble(SHOP_KEY);
    shop.script = (r) =>
      r.nth === 1
        ? { status: 503, body: 'busy' }
        : r.nth === 2
          ? { status: 200, body: 'fail' }
          : r.nth === 3
            ? 'hang'
            : SUCCESS;
    const orderNo = next();
    await paidShopOrders(use.database, [{ orderNo, notifyUrl: shop.notifyUrl() }]);
    start(merchantEnv(), { timeoutMs: 300 });
    expect(await settledNotifyOf(use.database, orderNo)).toEqual({
      status: 'delivered',
      attempts: 4,
      outcomes: ['http_error', 'bad_reply', 'timeout', 'delivered'],
      statuses: [503, 200, null, 200],
    });
    expect(shop.successes(`SHOP-${orderNo}`)).toBe(1);
    expect(shop.requests.every((r) => r.verified)).toBe(true);
  });

  it('keeps a hanging shop to four requests and delivers another shop’s notify meanwhile', async () => {
    shop = await startShopDouble(SHOP_KEY);
    const other = await startShopDouble(SHOP_KEY);
    try {
      shop.script = () => 'hang';
      const stuck = Array.from({ length: 10 }, () => next());
      const orderNo = next();
      await paidShopOrders(use.database, [
        ...stuck.map((no) => ({ orderNo: no, notifyUrl: shop.notifyUrl() })),
        { orderNo, notifyUrl: other.notifyUrl() },
      ]);
      const startedAt = Date.now();
      start(merchantEnv(), { timeoutMs: 5_000 });
      expect(await settledNotifyOf(use.database, orderNo)).toMatchObject({ status: 'delivered' });
      expect(Date.now() - startedAt).toBeLessThan(2_000);
      // The hanging shop gets its four places, and no more however long it hangs.
      for (let i = 0; i < 100 && shop.requests.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(shop.requests).toHaveLength(4);
      expect(shop.maxConcurrent).toBe(4);
      expect((await notifyOf(use.database, stuck[0] ?? ''))?.outcomes).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('gives up after the last try and tells the admins, with the command to resend', async () => {
    shop = await startShopDouble(SHOP_KEY);
    shop.script = () => ({ status: 500, body: '<html>Internal Server Error</html>' });
    const orderNo = next();
    await paidShopOrders(use.database, [{ orderNo, notifyUrl: shop.notifyUrl() }]);
    const outbox = start(merchantEnv(), { retryDelaysMs: [20, 20] });
    const row = await settledNotifyOf(use.database, orderNo);
    expect(row).toEqual({
      status: 'failed',
      attempts: 3,
      outcomes: Array(3).fill('http_error'),
      statuses: [500, 500, 500],
    });
    const told = (await queuedFor(use.database, 9001)).filter((text) => text.includes(orderNo));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`/renotify ${orderNo}`);
    expect(told[0]).toContain('3 次');
    expect(outbox.telegramKicks()).toBeGreaterThan(0);
  });

  it('refuses private addresses unless ALLOW_PRIVATE_NOTIFY is set, without sending anything', async () => {
    shop = await startShopDouble(SHOP_KEY);
    const [literal, named] = [next(), next()];
    await paidShopOrders(use.database, [
      { orderNo: literal, notifyUrl: shop.notifyUrl() },
      { orderNo: named, notifyUrl: `http://localhost:${shop.port}/notify` },
    ]);
    start(testConfig({ MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`, PUBLIC_URL: 'https://pay.example.com' }), {
      retryDelaysMs: [],
    });
    for (const orderNo of [literal, named]) {
      expect(await settledNotifyOf(use.database, orderNo)).toMatchObject({
        status: 'failed',
        outcomes: ['refused_address'],
      });
    }
    expect(shop.requests).toHaveLength(0);
  });

  it('POSTs events signed with Mailpay-Signature and their id; any 2xx delivers', async () => {
    const receiver = await startEventsReceiver(EVENTS_SECRET);
    shop = await startShopDouble(SHOP_KEY);
    try {
      const body = {
        id: 'evt_web1',
        type: 'order.credited',
        data: { order_no: 'ABCDEFGH', amount: '10.00' },
      };
      await createStore(use.database.db).webOutbox.queueEvents([{ eventId: 'evt_web1', body }]);
      start(merchantEnv({ EVENTS_WEBHOOK_URL: receiver.url, EVENTS_WEBHOOK_SECRET: EVENTS_SECRET }));
      const deadline = Date.now() + 10_000;
      let status = 'pending';
      while (status === 'pending' && Date.now() < deadline) {
        const [row] = await use.database.rows<{ status: string }>(
          sql`select status from web_deliveries where event_id = 'evt_web1'`,
        );
        status = row?.status ?? 'pending';
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(status).toBe('delivered');
      expect(receiver.received).toEqual([{ eventId: 'evt_web1', verified: true, body }]);
    } finally {
      await receiver.close();
    }
  });
});
