// mapi.php create → JSON with 50 shops at once, each sending its next order the moment it has its answer (or,
// paced, one every `paceMs`, as shops whose buyers come and go): the EPay routes as main.ts wires them, on the
// real HTTP server, each shop a keep-alive client of its own from its own loopback address. Server side = the
// route handler's start to its answer written.
import { Agent, request } from 'node:http';
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
import { type Summary, summarise } from './stats.ts';

export interface EpayFigures {
  orders: number;
  wallMs: number;
  server: Summary;
  roundTrip: Summary;
}

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
  const url = `http://127.0.0.1:${server.port}/mapi.php`;
  try {
    const agents = shops.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
    const roundTrips: number[] = [];
    /** Each shop's `count` orders, one after another (paced: the n-th at `first + n * paceMs`). */
    const sendOrders = (prefix: string, count: number, startedAt: number) =>
      Promise.all(
        shops.map(async (shop, s) => {
          const from = `127.0.${1 + Math.floor(s / 250)}.${2 + (s % 250)}`;
          const first = startedAt + ((options.paceMs ?? 0) * s) / options.shops;
          for (let n = 0; n < count; n++) {
            if (options.paceMs) await sleepUntil(first + n * options.paceMs);
            const params = shopParams('dujiaoka', shop, {
              outTradeNo: `${prefix}${s}-${n}`,
              moneyFen: (10 + ((s * count + n) % 50)) * 100,
              notifyUrl: 'http://203.0.113.10/notify',
              type: 'alipay',
            });
            const at = performance.now();
            const answer = JSON.parse(await post(url, agents[s] as Agent, formBody(params), from));
            roundTrips.push(performance.now() - at);
            if (answer.code !== 1) throw new Error(`order refused: ${answer.msg}`);
          }
        }),
      );
    // Warm-up, not counted: one order from every shop at once opens the keep-alive sockets and the pool's
    // database connections (a fresh connection's start-up is not what a running service pays per order).
    await sendOrders('W', 1, performance.now());
    serverMs.length = 0;
    roundTrips.length = 0;
    const started = performance.now();
    await sendOrders('B', options.ordersPerShop, started);
    for (const agent of agents) agent.destroy();
    return {
      orders: roundTrips.length,
      wallMs: performance.now() - started,
      server: summarise(serverMs),
      roundTrip: summarise(roundTrips),
    };
  } finally {
    await server.close();
    await database.close();
    await testDb.drop();
  }
}

function sleepUntil(at: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));
}

function post(url: string, agent: Agent, body: string, from: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        localAddress: from,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString()));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
