// Open checkout pages polling their status: each page asks GET /pay/<trade_no>/status every 250 ms (the page
// script's interval), as many pages as there are pending shop orders, over real HTTP against the checkout routes.
import { setTimeout as sleep } from 'node:timers/promises';
import { checkoutRoutesOf } from '../src/modules/checkout/checkout-routes.ts';
import { POLL_MS } from '../src/modules/checkout/checkout-script.ts';
import { startHttpServer } from '../src/modules/http/http-server.ts';
import { createRouter } from '../src/modules/http/router.ts';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
import { parseConfig } from '../src/shared/config/config.ts';
import { openDatabase } from '../src/shared/db/database.ts';
import { systemClock } from '../src/shared/ports.ts';
import { insertShopOrders } from '../test/support/shop-orders.ts';
import { createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { BENCH_ENV } from './allocation.bench.ts';
import { openKeepAliveClient } from './keep-alive-client.ts';
import { summarise } from './stats.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

export async function benchCheckoutStatus(options: { kind: DatabaseKind; pages: number; seconds: number }) {
  const testDb = await createTestDatabase(options.kind);
  const parsed = parseConfig({
    ...BENCH_ENV,
    ...testDb.env,
    MERCHANTS: '1001:bench-key-0123456789abcdef',
    PUBLIC_URL: 'https://pay.bench.test',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const database = await openDatabase(parsed.config.database);
  const router = createRouter(
    checkoutRoutesOf({ config: parsed.config, db: database.db, clock: systemClock, logger: silent }),
  );
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', router });
  try {
    const orderNos = Array.from({ length: options.pages }, (_, i) => benchOrderNo(i));
    const specs = orderNos.map((orderNo, i) => ({
      orderNo,
      payableFen: 1000 + i,
      notifyUrl: 'http://127.0.0.1:9/',
    }));
    await insertShopOrders(database.db, specs);
    const latencies: number[] = [];
    let failures = 0;
    const until = performance.now() + options.seconds * 1000;
    await Promise.all(
      orderNos.map(async (orderNo, i) => {
        await sleep((POLL_MS * i) / options.pages); // pages opened at different moments
        // A page's polls reuse its connection, as a browser's do.
        const page = await openKeepAliveClient({ host: '127.0.0.1', port: server.port });
        try {
          while (performance.now() < until) {
            const t0 = performance.now();
            const answer = await page.get(`/pay/${orderNo}/status`);
            latencies.push(performance.now() - t0);
            if (answer.status !== 200 || JSON.parse(answer.body).status !== 'pending') failures++;
            await sleep(POLL_MS);
          }
        } finally {
          page.close();
        }
      }),
    );
    return {
      pages: options.pages,
      requestsPerSecond: latencies.length / options.seconds,
      failures,
      latency: summarise(latencies),
    };
  } finally {
    await server.close();
    await database.close();
    await testDb.drop();
  }
}

/** `BENCH` and `i` in three characters of the order-number alphabet. */
function benchOrderNo(i: number): string {
  const base = ORDER_NUMBER_ALPHABET.length;
  const digit = (n: number) => ORDER_NUMBER_ALPHABET[n % base];
  return `BENCH${digit(Math.floor(i / base / base))}${digit(Math.floor(i / base))}${digit(i)}`;
}
