// The balance API's races on PostgreSQL (PGlite is one connection): concurrent HTTP debits of one customer, one
// Idempotency-Key sent several times at once, and a debit racing an admin's refund.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefundOrder } from '../src/modules/orders/refund-order.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import {
  booksOf,
  fundedCustomer,
  queuedEvents,
  type ServedApi,
  serveBalanceApi,
} from './support/balance-api.ts';
import { openUseCaseDatabase, type UseCaseDatabase } from './support/use-case-database.ts';

describe('balance API races on postgres', () => {
  let handle: UseCaseDatabase;
  let api: ServedApi;
  beforeAll(async () => {
    handle = await openUseCaseDatabase('postgres');
    api = await serveBalanceApi(handle.database);
  });
  afterAll(async () => {
    await api?.close();
    await handle?.dispose();
  });
  const debit = (customer: string, key: string, amount: string) =>
    api.call('POST', `/api/v1/customers/${customer}/debits`, {
      body: { amount, reason: 'race' },
      headers: { 'idempotency-key': key },
    });

  it('two debits of the whole balance sent at once: one 201, one 409, the balance at zero', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await fundedCustomer(handle.database, `whole-${round}`, 5000);
      const replies = await Promise.all([
        debit(`api:whole-${round}`, `whole-${round}-a`, '50.00'),
        debit(`api:whole-${round}`, `whole-${round}-b`, '50.00'),
      ]);
      expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
      expect(replies.find((reply) => reply.status === 409)?.body.error.code).toBe('balance.insufficient');
      expect(await booksOf(handle.database, id)).toMatchObject({ balance: '0', entries: 2, keys: 1 });
    }
  });

  it('one Idempotency-Key sent eight times at once debits once, and all get the first answer', async () => {
    const id = await fundedCustomer(handle.database, 'same-key', 10_000);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => debit('api:same-key', 'same-key-1', '12.34')),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(201));
    for (const reply of replies) expect(reply.body).toEqual(replies[0]?.body);
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
    expect(await booksOf(handle.database, id)).toMatchObject({ balance: '8766', entries: 2, keys: 1 });
    const events = (await queuedEvents(handle.database)).filter(
      (event) => event.data.customer === 'api:same-key',
    );
    expect(events).toHaveLength(1);
  });

  it('a debit racing a refund of the same money: exactly one goes through, the balance never below zero', async () => {
    const admin = { id: 9001, name: 'admin', language: 'en' as const };
    const refundOrder = createRefundOrder({
      transaction: transactionOf(handle.database.db, { events: true }),
      clock: { now: () => new Date() },
      onQueued: () => {},
    });
    for (let round = 0; round < 8; round++) {
      const externalId = `refund-race-${round}`;
      const customerId = await fundedCustomer(handle.database, externalId, 0);
      const orderNo = `RACE${'ABCDEFGH'[round]}234`;
      await paidOrder(customerId, orderNo, 3000);
      const [reply, refund] = await Promise.all([
        debit(`api:${externalId}`, `${externalId}-k`, '30.00'),
        refundOrder(admin, orderNo, 'race'),
      ]);
      const debited = reply.status === 201;
      expect(debited ? 'debited' : reply.body.error.code).toMatch(/^(debited|balance\.insufficient)$/);
      expect(refund.kind).toBe(debited ? 'insufficient_balance' : 'refunded');
      const [row] = await handle.database.rows<{ balance: string; sum: string }>(
        sql`select balance_fen::text as balance,
                   (select sum(amount_fen)::text from ledger_entries where customer_id = ${customerId}) as sum
            from customers where id = ${customerId}`,
      );
      expect(row).toEqual({ balance: '0', sum: '0' });
    }
  });

  /** A paid order of the customer with its credit entry and the balance it brought. */
  async function paidOrder(customerId: number, orderNo: string, fen: number): Promise<void> {
    const [order] = await handle.database.rows<{ id: string }>(
      sql`insert into orders (order_no, customer_id, requested_fen, payable_fen, status, expires_at, closed_at)
          values (${orderNo}, ${customerId}, ${fen}, ${fen}, 'paid', now(), now()) returning id::text`,
    );
    await handle.database.rows(
      sql`insert into ledger_entries (customer_id, amount_fen, kind, order_id, actor)
          values (${customerId}, ${fen}, 'credit', ${Number(order?.id)}, 'test')`,
    );
    await handle.database.rows(
      sql`update customers set balance_fen = balance_fen + ${fen} where id = ${customerId}`,
    );
  }
});
