// mapi.php create → JSON with 50 shops at once, each sending its next order the moment it has its answer (or,
// paced, one every `paceMs`, as shops whose buyers come and go): the EPay routes as main.ts wires them, on the
// real HTTP server, each shop a keep-alive client of its own (keep-alive-client.ts) from its own loopback
// address. Server side = the route handler's start to its answer written.
import { shopPaymentRoutes } from '../src/modules/epay/start-epay.ts';
import { startHttpServer } from '../src/modules/http/http-server.ts';
import { createRouter, type Route } from '../src/modules/http/router.ts';
import { parseConfig } from '../src/shared/config/config.ts';
import { openDatabase } from '../src/shared/db/database.ts';
import { createLogger } from '../src/shared/logger/logger.ts';
import { systemClock } from '../src/shared/ports.ts';
import { formBody, shopParams } from '../test/support/epay-shop.ts';
import { createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { BENCH_ENV } from './allocation.bench.ts';
import { type KeepAliveClient, openKeepAliveClient } from './keep-alive-client.ts';
import { type Summary, summarise } from './stats.ts';

export interface EpayFigures {
  orders: number;
  wallMs: number;
  server: Summary;
  roundTrip: Summary;
}

/** Orders each shop sends before the measured ones: enough for the route's code to be compiled hot. */
export const WARM_UP_ORDERS_PER_SHOP = 10;

export async function benchEpayCreate(options: {
  kind: DatabaseKind;
  shops: number;
  ordersPerShop: number;
  /** Each shop sends an order every this many ms (sooner only when late), the shops spread over it. */
  paceMs?: number;
}): Promise<EpayFigures> {
  const testDb = await createTestDatabase(options.kind);
  const shops = Array.from({ length: options.shops }, (_, i) => ({
    pid: String(2_000 + i),
    key: `bench-shop-key-${i}-0123456789`,
  }));
  const parsed = parseConfig({
    ...BENCH_ENV,
    ...testDb.env,
    MERCHANTS: shops.map((shop) => `${shop.pid}:${shop.key}`).join(','),
    PUBLIC_URL: 'https://pay.bench.test',
    AMOUNT_OFFSET_MAX_FEN: '999',
    ORDER_TTL_SECONDS: '3600',
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const database = await openDatabase(parsed.config.database);
  const serverMs: number[] = [];
  const timed = (route: Route): Route => ({
    ...route,
    async handle(req, res) {
      const started = performance.now();
      await route.handle(req, res);
      serverMs.push(performance.now() - started);
    },
  });
  const routes = shopPaymentRoutes({
    db: database.db,
    config: parsed.config,
    clock: systemClock,
    mailboxState: () => 'connected',
    logger: createLogger({ level: 'error', secrets: [] }),
    tuning: { epayLimits: { perIpPerMinute: 100_000, perPidPerMinute: 100_000 } },
  });
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    router: createRouter(routes.map(timed)),
  });
  const clients: KeepAliveClient[] = [];
  try {
    for (let s = 0; s < shops.length; s++)
      clients.push(
        await openKeepAliveClient({ host: '127.0.0.1', port: server.port, localAddress: addressOf(s) }),
      );
    const roundTrips: number[] = [];
    /** Each shop's `count` orders, one after another (paced: the n-th at `first + n * paceMs`). */
    const sendOrders = (prefix: string, count: number, startedAt: number, paceMs = options.paceMs) =>
      Promise.all(
        shops.map(async (shop, s) => {
          const first = startedAt + ((paceMs ?? 0) * s) / options.shops;
          for (let n = 0; n < count; n++) {
            if (paceMs) await sleepUntil(first + n * paceMs);
            const params = shopParams('dujiaoka', shop, {
              outTradeNo: `${prefix}${s}-${n}`,
              moneyFen: (10 + ((s * count + n) % 50)) * 100,
              notifyUrl: 'http://203.0.113.10/notify',
              type: 'alipay',
            });
            const at = performance.now();
            const answer = JSON.parse(
              (await (clients[s] as KeepAliveClient).postForm('/mapi.php', formBody(params))).body,
            );
            roundTrips.push(performance.now() - at);
            if (answer.code !== 1) throw new Error(`order refused: ${answer.msg}`);
          }
        }),
      );
    // Warm-up, not counted, as a service that has been taking orders is warm: every shop's first order at
    // once opens the pool's database connections (a connection's start-up is not what a running service
    // pays per order), and the next few hundred let V8 compile the route's code.
    await sendOrders('W', 1, performance.now(), 0);
    await sendOrders('X', WARM_UP_ORDERS_PER_SHOP, performance.now(), 0);
    serverMs.length = 0;
    roundTrips.length = 0;
    const started = performance.now();
    await sendOrders('B', options.ordersPerShop, started);
    return {
      orders: roundTrips.length,
      wallMs: performance.now() - started,
      server: summarise(serverMs),
      roundTrip: summarise(roundTrips),
    };
  } finally {
    for (const client of clients) client.close();
    await server.close();
    await database.close();
    await testDb.drop();
  }
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
}

/** Each shop's own loopback address. */
function addressOf(shop: number): string {
  return `127.0.${1 + Math.floor(shop / 250)}.${2 + (shop % 250)}`;
}
