// A `kill -9` while the service catches up on 600 notifications, then a restart: each one credited exactly once.
import { sql } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
import { openDatabase } from '../src/shared/db/database.ts';
import { mailboxCursors } from '../src/shared/db/schema.ts';
import { signMail } from './support/dkim.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { insertPendingOrders } from './support/orders.ts';
import { processedMessages, type ServiceProcess, spawnService } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

// A catch-up records up to 200 messages per transaction: the kill lands after the first, amid the others.
const COUNT = 600;
const FIRST_CUSTOMER = 50_000;

function orderNumber(i: number): string {
  const digits = [961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(i / unit) % 31]).join('');
  return `KQZWX${digits}`;
}

describe.each(DATABASE_KINDS)('kill -9 during catch-up on %s', (kind) => {
  let stack: Stack;
  let service: ServiceProcess | null = null;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await stack?.dispose();
  });

  const openDb = () =>
    openDatabase({ url: stack.database.env.DATABASE_URL, dataDir: stack.database.env.DATA_DIR });
  const credited = () =>
    new Set(
      stack.telegram.sent
        .filter((m) => m.chatId >= FIRST_CUSTOMER && (m.text ?? '').includes('✅'))
        .map((m) => m.chatId),
    );

  it('credits every payment exactly once after a restart', async () => {
    const orders = Array.from({ length: COUNT }, (_, i) => ({
      orderNo: orderNumber(i),
      payableFen: 10_000 + i,
    }));
    // The service's starting point: the mailbox as it is now, before the backlog arrives.
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
    await insertPendingOrders(setup.db, orders, { firstCustomerId: FIRST_CUSTOMER });
    await setup.db
      .insert(mailboxCursors)
      .values({ mailbox: 'INBOX', uidValidity: mailbox.uidValidity, lastUid: mailbox.uidNext - 1 });
    await setup.close();

    let lastUid = 0;
    for (const order of orders) {
      const amount = (order.payableFen / 100).toFixed(2);
      lastUid = await stack.dovecot.append(
        await signMail(forwardedAlipayTransfer({ amount, memo: `充值${order.orderNo}` }), stack.dkim),
      );
    }

    // Progress is read from the service's log (the database is the service's while it runs); the
    // verdict below is read from the ledger.
    const processed = (run: ServiceProcess) => processedMessages(run.output().stdout).length;
    const first = spawnService(stack.env);
    service = first;
    await eventually(async () => (processed(first) >= 1 ? true : undefined), 60_000);
    first.child.kill('SIGKILL');
    await first.exited;
    console.log(`[${kind}] killed after ${processed(first)} of ${COUNT} messages were logged as processed`);
    expect(processed(first)).toBeLessThan(COUNT);

    const startedAt = Date.now();
    const second = spawnService(stack.env);
    service = second;
    await eventually(
      async () =>
        processedMessages(second.output().stdout).some((m) => m.uid === lastUid) ? true : undefined,
      120_000,
    );
    console.log(`[${kind}] caught up ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the restart`);
    // Every customer hears of the credit (at least once: the outbox re-sends what a killed process claimed).
    await eventually(async () => (credited().size === COUNT ? true : undefined), 120_000);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    service = null;

    const db = await openDb();
    try {
      const ledger = await db.rows<{ customer_id: number; n: number; total: number; balance: number }>(
        sql`select c.id::int as customer_id, count(l.id)::int as n, coalesce(sum(l.amount_fen), 0)::int as total,
                   c.balance_fen::int as balance
            from customers c left join ledger_entries l on l.customer_id = c.id and l.kind = 'credit'
            where c.id >= ${FIRST_CUSTOMER} group by c.id order by c.id`,
      );
      expect(ledger).toHaveLength(COUNT);
      for (const [i, row] of ledger.entries()) {
        expect(row).toEqual({
          customer_id: FIRST_CUSTOMER + i,
          n: 1,
          total: 10_000 + i,
          balance: 10_000 + i,
        });
      }
      const statuses = await db.rows<{ status: string; n: number }>(
        sql`select status, count(*)::int as n from payments group by status`,
      );
      expect(statuses).toEqual([{ status: 'matched', n: COUNT }]);
      const paid = await db.rows<{ n: number }>(
        sql`select count(*)::int as n from orders where status = 'paid'`,
      );
      expect(paid[0]?.n).toBe(COUNT);
    } finally {
      await db.close();
    }
  }, 300_000);
});
