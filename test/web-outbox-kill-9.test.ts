// `kill -9` while a shop's notify is on its way (and another waits for its retry), then a restart: the one in
// flight is sent again once its lease has lapsed, the other on its schedule — each shop answered `success` once.
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/shared/db/database.ts';
import { mailboxCursors } from '../src/shared/db/schema.ts';
import { signMail } from './support/dkim.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { eventuallyWhileRunning, type ServiceProcess, spawnService } from './support/service-process.ts';
import { type ShopDouble, SUCCESS, startShopDouble } from './support/shop-double.ts';
import { insertShopOrders } from './support/shop-orders.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { SHOP_KEY, SHOP_PID, tradeNo } from './support/web-outbox.ts';

const [IN_FLIGHT, RETRYING] = [tradeNo('KKILL', 0), tradeNo('KKILL', 1)];

describe.each(DATABASE_KINDS)('kill -9 amid shop notifies on %s', (kind) => {
  let stack: Stack;
  let shop: ShopDouble;
  let service: ServiceProcess | null = null;
  beforeAll(async () => {
    shop = await startShopDouble(SHOP_KEY);
    stack = await startStack(kind, {
      MERCHANTS: `${SHOP_PID}:${SHOP_KEY}`,
      PUBLIC_URL: 'https://pay.example.com',
      ALLOW_PRIVATE_NOTIFY: 'true',
    });
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await stack?.dispose();
    await shop?.close();
  });
  const openDb = () =>
    openDatabase({ url: stack.database.env.DATABASE_URL, dataDir: stack.database.env.DATA_DIR });

  it('sends each notify again after a restart, until the shop answers success once', async () => {
    // The first try of IN_FLIGHT hangs (the kill lands during it); RETRYING's first try gets a 502.
    shop.script = (r) =>
      r.nth > 1 ? SUCCESS : r.params.trade_no === IN_FLIGHT ? 'hang' : { status: 502, body: 'Bad Gateway' };
    const imap = new ImapFlow({
      host: stack.dovecot.host,
      port: stack.dovecot.port,
      secure: false,
      auth: { user: stack.dovecot.user, pass: stack.dovecot.password },
      logger: false,
    });
    await imap.connect();
    const mailbox = await imap.mailboxOpen('INBOX');
    await imap.logout();
    const setup = await openDb();
    await insertShopOrders(setup.db, [
      { orderNo: IN_FLIGHT, payableFen: 3001, notifyUrl: shop.notifyUrl() },
      { orderNo: RETRYING, payableFen: 3002, notifyUrl: shop.notifyUrl() },
    ]);
    await setup.db
      .insert(mailboxCursors)
      .values({ mailbox: 'INBOX', uidValidity: mailbox.uidValidity, lastUid: mailbox.uidNext - 1 });
    await setup.close();
    for (const [orderNo, amount] of [
      [IN_FLIGHT, '30.01'],
      [RETRYING, '30.02'],
    ] as const) {
      await stack.dovecot.append(
        await signMail(forwardedAlipayTransfer({ amount, memo: `充值${orderNo}` }), stack.dkim),
      );
    }

    const first = spawnService(stack.env);
    service = first;
    const triedBoth = () =>
      new Set(shop.requests.map((r) => r.params.trade_no)).size === 2 ? true : undefined;
    await eventuallyWhileRunning(first, async () => triedBoth(), 90_000);
    // Let the 502 be recorded (its retry is 15 s away), then kill while IN_FLIGHT still hangs.
    await new Promise((resolve) => setTimeout(resolve, 500));
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();

    const second = spawnService(stack.env);
    service = second;
    await eventuallyWhileRunning(
      second,
      async () =>
        shop.successes(`SHOP-${IN_FLIGHT}`) + shop.successes(`SHOP-${RETRYING}`) === 2 ? true : undefined,
      90_000,
    );
    console.log(
      `[${kind}] both notifies delivered ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    service = null;

    expect(shop.requests.filter((r) => r.params.trade_no === IN_FLIGHT)).toHaveLength(2);
    expect(shop.requests.filter((r) => r.params.trade_no === RETRYING)).toHaveLength(2);
    expect(shop.requests.every((r) => r.verified)).toBe(true);
    const db = await openDb();
    try {
      const tries = await db.rows<{ order_no: string; status: string; outcomes: string }>(
        sql`select o.order_no, d.status, string_agg(a.outcome, ',' order by a.id) as outcomes
            from web_deliveries d join orders o on o.id = d.order_id
            left join web_delivery_attempts a on a.delivery_id = d.id group by o.order_no, d.status order by o.order_no`,
      );
      // The killed try left no record: it never finished.
      expect(tries).toEqual([
        { order_no: IN_FLIGHT, status: 'delivered', outcomes: 'delivered' },
        { order_no: RETRYING, status: 'delivered', outcomes: 'http_error,delivered' },
      ]);
    } finally {
      await db.close();
    }
  }, 240_000);
});
