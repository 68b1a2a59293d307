// Catch-up after downtime: notifications appended while the service is stopped, then one start, until the last credit.
import { sql } from 'drizzle-orm';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { signMail } from '../test/support/dkim.ts';
import { eventually } from '../test/support/eventually.ts';
import { forwardedAlipayTransfer } from '../test/support/notifications.ts';
import { memoryOf } from '../test/support/process-memory.ts';
import { spawnService } from '../test/support/service-process.ts';
import { startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { openAppender } from './mailbox.ts';

export async function benchCatchUp(options: {
  kind: DatabaseKind;
  notifications: number;
  nodeArgs?: string[];
  /** Flags of `npm start`'s command to run without (to measure what they change). */
  leaveOut?: string[];
}) {
  const stack = await startStack(options.kind, { ORDER_TTL_SECONDS: '86400', LOG_LEVEL: 'warn' });
  try {
    // First start creates the schema and sets the mailbox cursor; then the service is down.
    await stack.startService();
    await stack.stopService();
    const orders = await seedOrders(stack.env, options.notifications);

    const appender = await openAppender(stack.dovecot);
    const appendStarted = performance.now();
    for (const order of orders) {
      const mail = forwardedAlipayTransfer({ amount: order.amount, memo: `充值${order.orderNo}` });
      await appender.append(await signMail(mail, stack.dkim));
    }
    await appender.close();
    const appendSeconds = (performance.now() - appendStarted) / 1000;

    // The service logs each message's outcome; PGlite allows no second process on its files, so progress is
    // read from the log and the ledger is checked once the service has stopped.
    const started = performance.now();
    const service = spawnService(
      { ...stack.env, LOG_LEVEL: 'info' },
      { entry: 'dist', nodeArgs: options.nodeArgs ?? [], leaveOut: options.leaveOut ?? [] },
    );
    let rss = 0;
    let credited = 0;
    let partialLine = '';
    service.child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (partialLine + chunk.toString()).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) credited += line.split('"outcome":"credited"').length - 1;
    });
    try {
      await eventually(async () => {
        rss = Math.max(rss, memoryOf(service.child.pid ?? 0).peakRssMb);
        return credited >= options.notifications ? true : undefined;
      }, 600_000);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    const seconds = (performance.now() - started) / 1000;
    const database = await openDatabase({ url: stack.env.DATABASE_URL, dataDir: stack.env.DATA_DIR ?? '' });
    try {
      const [ledger] = await countCredits(database);
      return {
        kind: options.kind,
        notifications: options.notifications,
        appendSeconds,
        seconds,
        perSecond: options.notifications / seconds,
        peakRssMb: rss,
        credits: ledger?.credits ?? 0,
        distinctOrders: ledger?.orders ?? 0,
      };
    } finally {
      await database.close();
    }
  } finally {
    await stack.dispose();
  }
}

function countCredits(database: Database) {
  return database.rows<{ credits: number; orders: number }>(
    sql`select count(*)::int as credits, count(distinct order_id)::int as orders from ledger_entries where kind = 'credit'`,
  );
}

/** Pending orders with distinct payable amounts, written straight to the database. */
async function seedOrders(env: Record<string, string>, count: number) {
  const database = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR ?? '' });
  try {
    await database.rows(
      sql`insert into customers (id, channel, external_id, chat_id)
          select g, 'telegram', g::text, g from generate_series(1, ${count}) g`,
    );
    const rows = await database.rows<{ order_no: string; payable_fen: number }>(sql`
      insert into orders (order_no, customer_id, requested_fen, payable_fen, expires_at)
      select 'B' || translate(lpad(to_hex(g), 7, '0'), '0123456789abcdef', 'ACDEFGHJKMNPQRST'),
             g, 100 + g, 100 + g, now() + interval '1 day'
      from generate_series(1, ${count}) g
      returning order_no, payable_fen`);
    return rows.map((row) => ({
      orderNo: row.order_no,
      amount: `${Math.floor(row.payable_fen / 100)}.${String(row.payable_fen % 100).padStart(2, '0')}`,
    }));
  } finally {
    await database.close();
  }
}
