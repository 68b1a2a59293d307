// The balance API served over real HTTP on a use-case database, wired by the same function main.ts calls, and a
// small client for it; plus customers funded straight in the database for tests not about crediting.
import { sql } from 'drizzle-orm';
import { balanceApi } from '../../src/modules/balance-api/balance-api.ts';
import { startHttpServer } from '../../src/modules/http/http-server.ts';
import { createRouter } from '../../src/modules/http/router.ts';
import type { Database } from '../../src/shared/db/database.ts';
import { createLogger } from '../../src/shared/logger/logger.ts';
import type { Clock } from '../../src/shared/ports.ts';
import { testConfig } from './use-case-database.ts';

export const API_TOKEN = 'test-api-token-0123456789abcdef-XYZ';

export interface ApiReply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the JSON answers freely.
  body: any;
}

export async function serveBalanceApi(
  database: Database,
  options: { env?: Record<string, string>; clock?: Clock } = {},
) {
  const config = testConfig({
    API_TOKEN,
    EVENTS_WEBHOOK_URL: 'https://app.example/hooks/mailpay',
    EVENTS_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
    ...options.env,
  });
  const routes = balanceApi({
    db: database.db,
    config,
    clock: options.clock ?? { now: () => new Date() },
    mailboxState: () => 'connected',
    onQueued: () => {},
    logger: createLogger({ level: 'silent', secrets: [] }),
  });
  const server = await startHttpServer({ port: 0, host: '127.0.0.1', router: createRouter(routes) });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    base,
    /** `body` is sent as JSON unless it is already a string; `token: null` sends no Authorization header. */
    async call(
      method: string,
      path: string,
      options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {},
    ): Promise<ApiReply> {
      const token = options.token === undefined ? API_TOKEN : options.token;
      const headers: Record<string, string> = { ...options.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const body =
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body);
      const response = await fetch(`${base}${path}`, { method, headers, body });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    close: () => server.close(),
  };
}

export type ServedApi = Awaited<ReturnType<typeof serveBalanceApi>>;

/** An `api` customer with `fen` credited (one credit ledger entry), created when new; returns its customer id. */
export async function fundedCustomer(database: Database, externalId: string, fen: number): Promise<number> {
  const [row] = await database.rows<{ id: string }>(
    sql`insert into customers (channel, external_id, balance_fen) values ('api', ${externalId}, ${fen})
        returning id::text`,
  );
  const id = Number(row?.id);
  await database.rows(
    sql`insert into ledger_entries (customer_id, amount_fen, kind, actor) values (${id}, ${fen}, 'credit', 'test')`,
  );
  return id;
}

/** The customer's balance, ledger entries, stored idempotency keys and queued events: what a refusal must leave. */
export async function booksOf(database: Database, customerId: number) {
  const [row] = await database.rows<{ balance: string; entries: number; keys: number; events: number }>(
    sql`select (select balance_fen::text from customers where id = ${customerId}) as balance,
               (select count(*)::int from ledger_entries where customer_id = ${customerId}) as entries,
               (select count(*)::int from api_idempotency_keys where customer_id = ${customerId}) as keys,
               (select count(*)::int from web_deliveries where kind = 'event') as events`,
  );
  return row;
}

export interface EventJson {
  id: string;
  type: string;
  created_at: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the event data freely.
  data: Record<string, any>;
}

/** Bodies of the queued events, oldest first. */
export async function queuedEvents(database: Database): Promise<EventJson[]> {
  const rows = await database.rows<{ event_id: string; body: EventJson }>(
    sql`select event_id, body from web_deliveries where kind = 'event' order by id`,
  );
  return rows.map((row) => {
    if (row.body.id !== row.event_id) throw new Error('event id and body id differ');
    return row.body;
  });
}
