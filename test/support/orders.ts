// Orders for mail-ingestion tests: through the bot (as a customer would), or straight into the database in bulk.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/shared/db/database.ts';
import { customers, orders } from '../../src/shared/db/schema.ts';
import type { Stack } from './stack.ts';
import type { TelegramUser } from './telegram-double.ts';

const ORDER_NO = /<code>([A-Z2-9]{6,20})<\/code>/;
const PAYABLE = /<b>¥(\d+\.\d{2})<\/b>/;

/** `/recharge AMOUNT` through the Bot API double; the order number and the amount to pay (`9.99`). */
export async function recharge(stack: Stack, user: TelegramUser, amount: string) {
  const before = stack.telegram.sent.length;
  stack.telegram.sendText(user, `/recharge ${amount}`);
  const photo = await stack.telegram.waitFor(
    (m) => m.chatId === user.id && m.method === 'sendPhoto' && stack.telegram.sent.indexOf(m) >= before,
  );
  const orderNo = ORDER_NO.exec(photo.caption ?? '')?.[1];
  const payable = PAYABLE.exec(photo.caption ?? '')?.[1];
  if (!orderNo || !payable) throw new Error(`no order number or amount in caption ${photo.caption}`);
  return { photo, orderNo, payable };
}

/** Credit ledger entries per order number, and balances, as the ledger has them. */
export async function ledgerByOrder(rows: Stack['rows'] | Database['rows']) {
  const credits = await rows<{ order_no: string; n: number; total: string }>(
    sql`select o.order_no, count(*)::int as n, sum(l.amount_fen)::text as total
        from ledger_entries l join orders o on o.id = l.order_id
        where l.kind = 'credit' group by o.order_no`,
  );
  return new Map(credits.map((c) => [c.order_no, { n: c.n, fen: Number(c.total) }]));
}

/**
 * Pending orders straight in the database, one customer each (`customerId` = `firstCustomerId + index`), who
 * are Telegram users of that id, as customers from before channels are.
 */
export async function insertPendingOrders(
  db: Database['db'],
  specs: ReadonlyArray<{ orderNo: string; payableFen: number }>,
  options: { firstCustomerId: number; expiresAt?: Date } = { firstCustomerId: 1 },
) {
  const expiresAt = options.expiresAt ?? new Date(Date.now() + 3_600_000);
  const rows = specs.map((spec, index) => ({ ...spec, customerId: options.firstCustomerId + index }));
  for (let i = 0; i < rows.length; i += 100) {
    const slice = rows.slice(i, i + 100);
    await db.insert(customers).values(
      slice.map((row) => ({
        id: row.customerId,
        channel: 'telegram' as const,
        externalId: String(row.customerId),
        chatId: row.customerId,
        firstName: 'T',
      })),
    );
    await db.insert(orders).values(
      slice.map((row) => ({
        orderNo: row.orderNo,
        customerId: row.customerId,
        requestedFen: row.payableFen,
        payableFen: row.payableFen,
        expiresAt,
      })),
    );
  }
  // As an upgraded database: customers the service creates later get ids above these.
  await db.execute(sql`select setval('customers_id_seq', (select max(id) from customers))`);
}
