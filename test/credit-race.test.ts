// An order closed by someone else between the candidate read and the credit (issue 10, "Low"): the payment
// goes to review naming the order, `late` when it was cancelled, `already_paid` when it was paid.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textsFor } from '../src/modules/notify/customer-texts.ts';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
import type { Config } from '../src/shared/config/config.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';
import { incoming, ingestConfig, ingestFor } from './support/ingest.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { insertPendingOrders, ledgerByOrder } from './support/orders.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

/**
 * The race, made certain: a trigger closes the order the moment the credit's conditional update reaches it,
 * and skips that update — exactly what the update finds when another process closed the order after the
 * candidates were read. Closing it as `paid` stands for another payment crediting it first.
 */
const CLOSE_ON_CREDIT = [
  sql`create table test_close_on_credit (order_no text primary key, close_as text not null)`,
  sql`create function test_close_on_credit() returns trigger language plpgsql as $$
      declare target text;
      begin
        delete from test_close_on_credit where order_no = old.order_no returning close_as into target;
        if target is null then return new; end if;
        update orders set status = target, closed_at = now() where id = old.id;
        return null;
      end $$`,
  sql`create trigger test_close_on_credit before update on orders for each row
      when (new.status = 'paid' and old.status = 'pending') execute function test_close_on_credit()`,
];

describe.each(DATABASE_KINDS)('an order closed between read and credit on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;
  let dns: DnsResponder;
  let config: Config;
  const key = createDkimKey('qq.com', 'mailpay');
  let seq = 0;

  beforeAll(async () => {
    [testDb, dns] = await Promise.all([createTestDatabase(kind), startDnsResponder()]);
    dns.setTxt(key.dnsName, key.txt);
    database = await openDatabase({ url: testDb.env.DATABASE_URL, dataDir: testDb.env.DATA_DIR });
    for (const statement of CLOSE_ON_CREDIT) await database.rows(statement);
    config = ingestConfig(dns);
  });
  afterAll(async () => {
    await database?.close();
    await dns?.close();
    await testDb?.drop();
  });

  /**
   * A pending order whose credit will find it closed as `closeAs` (an expired order is still credited when
   * the money came in time, so only these two lose the credit).
   */
  async function orderClosedOnCredit(payableFen: number, closeAs: 'cancelled' | 'paid') {
    const n = ++seq;
    const orderNo = `RACEQ${[961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(n / unit) % 31]).join('')}`;
    const customerId = 7_000 + n;
    await insertPendingOrders(database.db, [{ orderNo, payableFen }], { firstCustomerId: customerId });
    await database.rows(sql`insert into test_close_on_credit values (${orderNo}, ${closeAs})`);
    return { orderNo, customerId };
  }
  const paymentOf = async (paymentId: number) => {
    const [row] = await database.rows<{ status: string; review_reason: string; order_no: string | null }>(
      sql`select p.status, p.review_reason, o.order_no from payments p left join orders o on o.id = p.order_id
          where p.id = ${paymentId}`,
    );
    return row;
  };
  const messagesTo = async (chatId: number) =>
    (
      await database.rows<{ message: { text: string } }>(
        sql`select message from outbox where chat_id = ${chatId} order by id`,
      )
    ).map((row) => row.message.text);

  async function pay(amount: string, memo?: string) {
    const raw = await signMail(forwardedAlipayTransfer({ amount, ...(memo ? { memo } : {}) }), key);
    const outcome = await ingestFor(database, config)(incoming(raw));
    if (outcome.kind !== 'review') throw new Error(`expected review, got ${JSON.stringify(outcome)}`);
    return outcome;
  }

  it('reviews a payment naming an order cancelled meanwhile as late, naming the order, and tells the customer', async () => {
    const { orderNo, customerId } = await orderClosedOnCredit(4_101, 'cancelled');
    const outcome = await pay('41.01', orderNo);
    expect(outcome.reason).toBe('late');
    expect(await paymentOf(outcome.paymentId)).toEqual({
      status: 'review',
      review_reason: 'late',
      order_no: orderNo,
    });
    expect(await messagesTo(customerId)).toEqual([textsFor('zh').inReview(orderNo)]);
    expect((await ledgerByOrder(database.rows)).get(orderNo)).toBeUndefined();
  });

  it('reviews a payment matched by amount to an order cancelled meanwhile as late, naming the order', async () => {
    const { orderNo } = await orderClosedOnCredit(4_102, 'cancelled');
    const outcome = await pay('41.02');
    expect(await paymentOf(outcome.paymentId)).toEqual({
      status: 'review',
      review_reason: 'late',
      order_no: orderNo,
    });
  });

  it('reviews a payment naming an order another payment credited meanwhile as already paid, naming it', async () => {
    const { orderNo } = await orderClosedOnCredit(4_103, 'paid');
    const outcome = await pay('41.03', orderNo);
    expect(await paymentOf(outcome.paymentId)).toEqual({
      status: 'review',
      review_reason: 'already_paid',
      order_no: orderNo,
    });
  });
});
