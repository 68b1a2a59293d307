// The HTTP outbox: credit → the shop receives its notify, in the whole service (mail in, shop double out); and
// 1,000 notifies to a shop that fails each one's first 3 tries, on a compressed schedule.
import { sql } from 'drizzle-orm';
import { openDatabase } from '../src/shared/db/database.ts';
import { forwardedAlipayTransfer } from '../test/support/notifications.ts';
import { type ShopDouble, SUCCESS, startShopDouble } from '../test/support/shop-double.ts';
import { insertShopOrders } from '../test/support/shop-orders.ts';
import { startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { openUseCaseDatabase, testConfig } from '../test/support/use-case-database.ts';
import {
  paidShopOrders,
  SHOP_KEY,
  SHOP_PID,
  settledNotifyOf,
  startTestWebOutbox,
  tradeNo,
} from '../test/support/web-outbox.ts';
import { summarise } from './stats.ts';

const MERCHANT_ENV = {
  MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
  PUBLIC_URL: 'https://pay.example.com',
  ALLOW_PRIVATE_NOTIFY: 'true',
};

/** Payments mailed one after the other; for each, its order's paid time (closed_at) → the shop's receipt. */
export async function benchCreditToNotify(options: { kind: DatabaseKind; payments: number }) {
  const shop = await startShopDouble(SHOP_KEY);
  const stack = await startStack(options.kind, MERCHANT_ENV);
  try {
    const orderNos = Array.from({ length: options.payments }, (_, i) => tradeNo('KBNCH', i));
    const setup = await openDatabase({
      url: stack.database.env.DATABASE_URL,
      dataDir: stack.database.env.DATA_DIR,
    });
    await insertShopOrders(
      setup.db,
      orderNos.map((orderNo, i) => ({ orderNo, payableFen: 5_000 + i, notifyUrl: shop.notifyUrl() })),
    );
    await setup.close();
    await stack.startService();
    for (const [i, orderNo] of orderNos.entries()) {
      const amount = ((5_000 + i) / 100).toFixed(2);
      await stack.deliver(forwardedAlipayTransfer({ amount, memo: `充值${orderNo}` }));
      await waitFor(() => shop.successes(`SHOP-${orderNo}`) === 1);
    }
    const paid = await stack.rows<{ order_no: string; closed_at: string; tried_at: string }>(
      sql`select o.order_no, o.closed_at, a.at as tried_at from orders o join web_deliveries d on d.order_id = o.id
          join web_delivery_attempts a on a.delivery_id = d.id where o.order_no like 'KBNCH%'`,
    );
    const byOrder = new Map(paid.map((row) => [row.order_no, row]));
    const at = (text: string | undefined) => (text ? new Date(text).getTime() : Number.NaN);
    const received = shop.requests.map((r) => ({ at: r.at, row: byOrder.get(r.params.trade_no ?? '') }));
    const finite = (samples: number[]) => summarise(samples.filter(Number.isFinite));
    return {
      /** The order marked paid (in the credit's transaction) → the shop has the request. */
      total: finite(received.map((r) => r.at - at(r.row?.closed_at))),
      /** … of which: paid → the outbox starts the try (commit, kick, claim). */
      toTry: finite(received.map((r) => at(r.row?.tried_at) - at(r.row?.closed_at))),
    };
  } finally {
    await stack.dispose();
    await shop.close();
  }
}

/** The compressed schedule: the waits after tries 1, 2, 3 (and more, unused). */
const SCHEDULE_MS = [500, 1_000, 2_000, 4_000, 8_000];

export async function benchFailingShop(options: { kind: DatabaseKind; notifies: number }) {
  const shop = await startShopDouble(SHOP_KEY);
  const use = await openUseCaseDatabase(options.kind);
  try {
    shop.script = (r) => (r.nth <= 3 ? { status: 500, body: 'down for maintenance' } : SUCCESS);
    const orderNos = Array.from({ length: options.notifies }, (_, i) => tradeNo('KFAIL', i));
    await paidShopOrders(
      use.database,
      orderNos.map((orderNo) => ({ orderNo, notifyUrl: shop.notifyUrl() })),
    );
    const startedAt = Date.now();
    const outbox = startTestWebOutbox(use.database, testConfig(MERCHANT_ENV), {
      retryDelaysMs: SCHEDULE_MS,
      dueCheckMs: 100,
      // The service's own lease and time-out: the test support's short lease (5 s) lapses under PGlite's backlog.
      leaseMs: 30_000,
      timeoutMs: 10_000,
    });
    await waitFor(() => orderNos.every((no) => shop.successes(`SHOP-${no}`) >= 1), 600_000);
    const wallMs = Date.now() - startedAt;
    let delivered = 0;
    for (const orderNo of orderNos) {
      if ((await settledNotifyOf(use.database, orderNo, 30_000)).status === 'delivered') delivered++;
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await outbox.stop();
    return { wallMs, delivered, ...triesOnSchedule(shop, orderNos) };
  } finally {
    await use.dispose();
    await shop.close();
  }
}

/** Per order: successes (want exactly 1), tries (want 4), and how late each retry came after its scheduled wait. */
function triesOnSchedule(shop: ShopDouble, orderNos: readonly string[]) {
  const lateness: number[] = [];
  let early = 0;
  let exactlyOnce = 0;
  let fourTries = 0;
  for (const orderNo of orderNos) {
    const tries = shop.requests.filter((r) => r.params.trade_no === orderNo);
    if (shop.successes(`SHOP-${orderNo}`) === 1) exactlyOnce++;
    if (tries.length === 4) fourTries++;
    for (let i = 1; i < tries.length; i++) {
      const late = (tries[i]?.at ?? 0) - (tries[i - 1]?.at ?? 0) - (SCHEDULE_MS[i - 1] ?? 0);
      if (late < 0) early++;
      lateness.push(late);
    }
  }
  return { exactlyOnce, fourTries, early, lateness: summarise(lateness) };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('benchmark condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
