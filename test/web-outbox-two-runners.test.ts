// Two instances' HTTP outboxes on one PostgreSQL database (PGlite is one connection, so never two): every notify
// is sent exactly once, the claims (FOR UPDATE SKIP LOCKED, by lease) never overlapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { type ShopDouble, startShopDouble } from './support/shop-double.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { testConfig } from './support/use-case-database.ts';
import {
  paidShopOrders,
  SHOP_KEY,
  SHOP_PID,
  settledNotifyOf,
  startTestWebOutbox,
  tradeNo,
} from './support/web-outbox.ts';

const COUNT = 200;

describe('two HTTP outboxes on postgres', () => {
  let test: TestDatabase;
  let databases: Database[] = [];
  let shop: ShopDouble;
  beforeAll(async () => {
    test = await createTestDatabase('postgres');
    const open = () => openDatabase({ url: test.env.DATABASE_URL, dataDir: test.env.DATA_DIR });
    databases = [await open(), await open()];
    shop = await startShopDouble(SHOP_KEY);
  });
  afterAll(async () => {
    await shop?.close();
    for (const database of databases) await database.close();
    await test?.drop();
  });

  it('sends each notify exactly once', async () => {
    const [first, second] = databases as [Database, Database];
    const orderNos = Array.from({ length: COUNT }, (_, i) => tradeNo('KTWOR', i));
    // The shop takes its time: both runners are busy at once, claiming around each other.
    shop.script = () => ({ status: 200, body: 'success', delayMs: 100 });
    await paidShopOrders(
      first,
      orderNos.map((orderNo) => ({ orderNo, notifyUrl: shop.notifyUrl() })),
    );
    const config = testConfig({
      MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
      PUBLIC_URL: 'https://pay.example.com',
      ALLOW_PRIVATE_NOTIFY: 'true',
    });
    const runners = [startTestWebOutbox(first, config), startTestWebOutbox(second, config)];
    try {
      for (const orderNo of orderNos) {
        expect(await settledNotifyOf(first, orderNo, 60_000)).toMatchObject({
          status: 'delivered',
          attempts: 1,
        });
      }
    } finally {
      for (const runner of runners) await runner.stop();
    }
    const perOrder = new Map<string, number>();
    for (const r of shop.requests)
      perOrder.set(r.params.trade_no ?? '', (perOrder.get(r.params.trade_no ?? '') ?? 0) + 1);
    expect(perOrder.size).toBe(COUNT);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    expect(shop.requests.every((r) => r.verified)).toBe(true);
    // Each runner holds at most 4 requests to a host: more than 4 at once means both were sending, 8 at most.
    expect(shop.maxConcurrent).toBeGreaterThan(4);
    expect(shop.maxConcurrent).toBeLessThanOrEqual(8);
  });
});
