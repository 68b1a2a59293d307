// The HTTP outbox under test without the rest of the service: paid shop orders with their notifies queued, the
// outbox started on a database with a compressed schedule, and what it recorded.
import { sql } from 'drizzle-orm';
import { adminAudienceOf } from '../../src/modules/notify/admin-audience.ts';
import { ORDER_NUMBER_ALPHABET } from '../../src/modules/orders/order-number.ts';
import { startWebOutbox, type WebOutboxTuning } from '../../src/modules/web-outbox/start-web-outbox.ts';
import type { Config } from '../../src/shared/config/config.ts';
import type { Database } from '../../src/shared/db/database.ts';
import { createStore } from '../../src/shared/db/store.ts';
import { createLogger } from '../../src/shared/logger/logger.ts';
import { systemClock } from '../../src/shared/ports.ts';
import { insertShopOrders, type ShopOrderSpec } from './shop-orders.ts';

export const SHOP_KEY = 'shop-key-0123456789abcdef';
export const SHOP_PID = '1001';

/** A valid order number for the i-th order of a test (`prefix` keeps tests apart). */
export function tradeNo(prefix: string, i: number): string {
  const digits = [961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(i / unit) % 31]).join('');
  return `${prefix}${digits}`.slice(0, 8).padEnd(8, 'A');
}

let nextFen = 10_000;

/**
 * Inserts the shop orders as paid and queues their notifies, as crediting does; returns the order ids. Each gets
 * its own payable amount unless given one (amounts are unique among pending orders while inserting).
 */
export async function paidShopOrders(
  database: Database,
  specs: ReadonlyArray<Omit<ShopOrderSpec, 'payableFen'> & { payableFen?: number }>,
): Promise<number[]> {
  const ids = await insertShopOrders(
    database.db,
    specs.map((spec) => ({ ...spec, payableFen: spec.payableFen ?? nextFen++ })),
  );
  await database.rows(sql`update orders set status = 'paid' where id in ${sql.raw(`(${ids.join(',')})`)}`);
  await createStore(database.db).webOutbox.queueShopNotifies(ids);
  return ids;
}

export function startTestWebOutbox(
  database: Database,
  config: Config,
  tuning: Partial<WebOutboxTuning> = {},
) {
  let telegramKicks = 0;
  const outbox = startWebOutbox({
    db: database.db,
    clock: systemClock,
    config,
    admins: adminAudienceOf(config),
    telegramOutbox: { kick: () => void telegramKicks++ },
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', secrets: [] }),
    tuning: { timeoutMs: 2_000, leaseMs: 5_000, dueCheckMs: 20, retryDelaysMs: [30, 30, 30, 30], ...tuning },
  });
  return { ...outbox, telegramKicks: () => telegramKicks };
}

export interface DeliveryRow {
  status: string;
  attempts: number;
  outcomes: string[];
  statuses: Array<number | null>;
}

/** The notify of an order: its state and its tries' outcomes and HTTP statuses, in order. */
export async function notifyOf(database: Database, orderNo: string): Promise<DeliveryRow | undefined> {
  const [row] = await database.rows<{ id: number; status: string; attempts: number }>(
    sql`select d.id::int as id, d.status, d.attempts from web_deliveries d join orders o on o.id = d.order_id
        where o.order_no = ${orderNo} order by d.id desc limit 1`,
  );
  if (!row) return undefined;
  const tries = await database.rows<{ outcome: string; http_status: number | null }>(
    sql`select outcome, http_status from web_delivery_attempts where delivery_id = ${row.id} order by id`,
  );
  return {
    status: row.status,
    attempts: row.attempts,
    outcomes: tries.map((t) => t.outcome),
    statuses: tries.map((t) => t.http_status),
  };
}

/** Polls until the order's notify is no longer pending; returns it. */
export async function settledNotifyOf(database: Database, orderNo: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await notifyOf(database, orderNo);
    if (row && row.status !== 'pending') return row;
    if (Date.now() > deadline) throw new Error(`notify of ${orderNo} still pending: ${JSON.stringify(row)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
