// The EPay API under test: its real routes (as main.ts wires them) on the real HTTP server and router, over a
// fresh database, with a test source to pay orders. Each `serve` is one more server with its own creation
// limits on the same database; `call` sends from a chosen loopback address (127.0.0.x) to tell clients apart.
import { request as httpRequest } from 'node:http';
import type { CreationLimits } from '../../src/modules/epay/creation-limits.ts';
import { shopPaymentRoutes } from '../../src/modules/epay/start-epay.ts';
import { startHttpServer } from '../../src/modules/http/http-server.ts';
import { createRouter } from '../../src/modules/http/router.ts';
import { createRecordNotification } from '../../src/modules/ingestion/record-notification.ts';
import { reviewSettingsOf } from '../../src/modules/review/review-settings.ts';
import type { Config } from '../../src/shared/config/config.ts';
import { transactionOf } from '../../src/shared/db/store.ts';
import { captureLogs, type LogRecord } from './log-capture.ts';
import type { DatabaseKind } from './test-database.ts';
import { createTestSource } from './test-source.ts';
import { openUseCaseDatabase, testConfig, type UseCaseDatabase } from './use-case-database.ts';

export const SHOP = { pid: '1001', key: 'shop-1001-key-0123456789abcdef' };
export const OTHER_SHOP = { pid: '1002', key: 'shop-1002-key-0123456789abcdef' };
export const PUBLIC_URL = 'https://pay.example.test';
/** A public address (TEST-NET-3): a notify_url the SSRF guard lets through without DNS. */
export const NOTIFY_URL = 'http://203.0.113.10/epay/notify';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface EpayFixture extends UseCaseDatabase {
  config: Config;
  /** What the routes logged (the service's real logger). */
  logged: LogRecord[];
  /**
   * Starts a server with these creation limits (generous by default) and these variables over the fixture's
   * (ALLOW_PRIVATE_NOTIFY, PAYEE_QR_URL_WECHAT); returns its base URL.
   */
  serve(options?: { limits?: CreationLimits; env?: Record<string, string> }): Promise<string>;
  /** Pays the order by the test source (memo = order number, the exact payable amount). */
  pay(orderNo: string, payableFen: number): Promise<string | undefined>;
  dispose(): Promise<void>;
}

export async function openEpayFixture(
  kind: DatabaseKind,
  overrides: Record<string, string> = {},
): Promise<EpayFixture> {
  const base = await openUseCaseDatabase(kind);
  const env = {
    MERCHANTS: `${SHOP.pid}:${SHOP.key},${OTHER_SHOP.pid}:${OTHER_SHOP.key}`,
    PUBLIC_URL,
    ...overrides,
  };
  const config = testConfig(env);
  const { db } = base.database;
  const { logger, records } = captureLogs([SHOP.key, OTHER_SHOP.key]);
  const servers: Array<{ close(): Promise<void> }> = [];
  let requestSeq = 0;
  const deliver = createTestSource({
    recordNotifications: createRecordNotification({
      transaction: transactionOf(db),
      review: reviewSettingsOf(config),
      clock: { now: () => new Date() },
      onQueued: () => {},
    }),
    acknowledge: async () => {},
  });
  return {
    ...base,
    config,
    logged: records,
    async serve(options = {}) {
      const routes = shopPaymentRoutes({
        db,
        config: options.env ? testConfig({ ...env, ...options.env }) : config,
        clock: { now: () => new Date() },
        mailboxState: () => 'connected',
        logger,
        tuning: { epayLimits: options.limits ?? { perIpPerMinute: 10_000, perPidPerMinute: 10_000 } },
      });
      const server = await startHttpServer({
        port: 0,
        host: '127.0.0.1',
        router: createRouter(routes),
      });
      servers.push(server);
      return `http://127.0.0.1:${server.port}`;
    },
    async pay(orderNo, payableFen) {
      const outcome = await deliver({
        requestId: `pay-${++requestSeq}`,
        amountFen: payableFen,
        memo: orderNo,
      });
      return outcome?.kind;
    },
    async dispose() {
      await Promise.all(servers.map((server) => server.close()));
      await base.dispose();
    },
  };
}

/** One HTTP request (no redirect followed), optionally from another loopback address. */
export function call(
  url: string,
  options: { method?: 'GET' | 'POST'; form?: string; contentType?: string; from?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.form !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(options.form));
    }
    const req = httpRequest(
      url,
      { method: options.method ?? 'GET', headers, ...(options.from ? { localAddress: options.from } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.form);
  });
}
