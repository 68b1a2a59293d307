// The balance API over real HTTP on both databases: the token, each route, and bad input answered with a
// stable code and nothing changed.

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  booksOf,
  fundedCustomer,
  queuedEvents,
  type ServedApi,
  serveBalanceApi,
} from './support/balance-api.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { openUseCaseDatabase, type UseCaseDatabase } from './support/use-case-database.ts';

describe.each(DATABASE_KINDS)('balance API on %s', (kind) => {
  let handle: UseCaseDatabase;
  let api: ServedApi;
  beforeAll(async () => {
    handle = await openUseCaseDatabase(kind);
    api = await serveBalanceApi(handle.database);
  });
  afterAll(async () => {
    await api?.close();
    await handle?.dispose();
  });
  const debit = (customer: string, key: string | null, body: unknown) =>
    api.call('POST', `/api/v1/customers/${customer}/debits`, {
      body,
      headers: key === null ? {} : { 'idempotency-key': key },
    });

  it('refuses a missing or wrong bearer token with 401 and a JSON error', async () => {
    await fundedCustomer(handle.database, 'auth-1', 500);
    for (const token of [null, 'wrong-token', `${'test-api-token-0123456789abcdef-XYZ'}x`, '']) {
      const reply = await api.call('GET', '/api/v1/customers/api:auth-1', { token });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ error: { code: 'auth.unauthorized', message: expect.any(String) } });
    }
    const basic = await api.call('GET', '/api/v1/customers/api:auth-1', {
      token: null,
      headers: { authorization: 'Basic dGVzdDp0ZXN0' },
    });
    expect(basic.status).toBe(401);
    expect((await api.call('GET', '/api/v1/customers/api:auth-1')).status).toBe(200);
  });

  it('shows a balance with its ledger totals, and 404 for an unknown customer', async () => {
    const id = await fundedCustomer(handle.database, 'sum-1', 2000);
    expect((await debit('api:sum-1', 'sum-k1', { amount: '3.50', reason: 'VIP month' })).status).toBe(201);
    const reply = await api.call('GET', '/api/v1/customers/api:sum-1');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      customer: 'api:sum-1',
      balance: '16.50',
      ledger: { credited: '20.00', debited: '3.50', refunded: '0.00', adjusted: '0.00' },
    });
    expect(id).toBeGreaterThan(0);
    const unknown = await api.call('GET', '/api/v1/customers/api:nobody');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'customer.not_found' } } });
    const telegram = await api.call('GET', '/api/v1/customers/telegram%3A424242');
    expect(telegram.body.error.code).toBe('customer.not_found');
  });

  it('refuses malformed customer ids and unknown routes with their codes', async () => {
    for (const id of [
      'nochannel',
      'email:a@b',
      'telegram:abc',
      'telegram:-5',
      'api:',
      'api:a%2Fb',
      'api:%E0%A4%A',
      `api:${'x'.repeat(65)}`,
    ]) {
      const reply = await api.call('GET', `/api/v1/customers/${id}`);
      expect(reply.status, id).toBe(400);
      expect(reply.body.error.code, id).toBe('customer.invalid_id');
    }
    expect((await api.call('GET', '/api/v1/customers/api:x/nothing')).body.error.code).toBe(
      'route.not_found',
    );
    expect((await api.call('GET', '/api/v1/elsewhere')).status).toBe(404);
    const wrongMethod = await api.call('POST', '/api/v1/customers/api:x');
    expect(wrongMethod).toMatchObject({ status: 405, body: { error: { code: 'route.method_not_allowed' } } });
  });

  it('debits once per Idempotency-Key: the repeat gets the first answer, another request under it 422', async () => {
    const id = await fundedCustomer(handle.database, 'deb-1', 1000);
    const first = await debit('api:deb-1', 'deb-k1', { amount: '2.34', reason: 'order #77' });
    expect(first.status).toBe(201);
    expect(first.body.debit).toMatchObject({
      customer: 'api:deb-1',
      amount: '2.34',
      balance: '7.66',
      reason: 'order #77',
    });
    const again = await debit('api:deb-1', 'deb-k1', { amount: '2.34', reason: 'order #77' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await debit('api:deb-1', 'deb-k1', { amount: '2.35', reason: 'order #77' });
    expect(other).toMatchObject({ status: 422, body: { error: { code: 'idempotency.key_reused' } } });
    expect(await booksOf(handle.database, id)).toMatchObject({ balance: '766', entries: 2, keys: 1 });
    const events = (await queuedEvents(handle.database)).filter((e) => e.data.customer === 'api:deb-1');
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^evt_[0-9a-f]{32}$/),
        type: 'balance.debited',
        created_at: first.body.debit.created_at,
        data: {
          customer: 'api:deb-1',
          debit_id: first.body.debit.id,
          amount: '2.34',
          balance: '7.66',
          reason: 'order #77',
        },
      },
    ]);
  });

  it('answers 409 balance.insufficient and changes nothing, leaving the key free', async () => {
    const id = await fundedCustomer(handle.database, 'poor-1', 100);
    const before = await booksOf(handle.database, id);
    const reply = await debit('api:poor-1', 'poor-k1', { amount: '1.01', reason: 'too much' });
    expect(reply).toMatchObject({ status: 409, body: { error: { code: 'balance.insufficient' } } });
    expect(await booksOf(handle.database, id)).toEqual(before);
    expect((await debit('api:poor-1', 'poor-k1', { amount: '1.00', reason: 'all of it' })).status).toBe(201);
  });

  it('refuses bad amounts, bodies and keys with clear codes and changes nothing', async () => {
    const id = await fundedCustomer(handle.database, 'bad-1', 10_000);
    const before = await booksOf(handle.database, id);
    const cases: Array<[unknown, string | null, number, string]> = [
      [{ amount: '1.234', reason: 'r' }, 'b1', 400, 'amount.invalid'],
      [{ amount: '-1', reason: 'r' }, 'b2', 400, 'amount.invalid'],
      [{ amount: '-1.00', reason: 'r' }, 'b2', 400, 'amount.invalid'],
      [{ amount: 'abc', reason: 'r' }, 'b3', 400, 'amount.invalid'],
      [{ amount: '0.00', reason: 'r' }, 'b4', 400, 'amount.invalid'],
      [{ amount: '1', reason: 'r' }, 'b4', 400, 'amount.invalid'],
      [{ amount: '1e2', reason: 'r' }, 'b4', 400, 'amount.invalid'],
      [{ amount: '99999999999999.00', reason: 'r' }, 'b4', 400, 'amount.invalid'],
      [{ amount: 1.23, reason: 'r' }, 'b5', 400, 'request.invalid'],
      [{ amount: '1.00' }, 'b6', 400, 'request.invalid'],
      [{ amount: '1.00', reason: '' }, 'b6', 400, 'request.invalid'],
      [{ amount: '1.00', reason: 'a\u0000b' }, 'b6', 400, 'request.invalid'],
      [{ amount: '1.00', reason: 'r', extra: 1 }, 'b6', 400, 'request.invalid'],
      ['{"amount": "1.00", "reason": ', 'b7', 400, 'request.invalid_json'],
      ['[1, 2]', 'b7', 400, 'request.invalid_json'],
      ['null', 'b7', 400, 'request.invalid_json'],
      [JSON.stringify({ amount: '1.00', reason: 'x'.repeat(10_000) }), 'b8', 413, 'request.body_too_large'],
      [{ amount: '1.00', reason: 'r' }, null, 400, 'idempotency.key_missing'],
      [{ amount: '1.00', reason: 'r' }, 'k'.repeat(256), 400, 'idempotency.key_missing'],
    ];
    for (const [body, key, status, code] of cases) {
      const reply = await debit('api:bad-1', key, body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.body.error.code, JSON.stringify(body)).toBe(code);
    }
    expect(await booksOf(handle.database, id)).toEqual(before);
    const unknown = await debit('api:ghost', 'g1', { amount: '1.00', reason: 'r' });
    expect(unknown.body.error.code).toBe('customer.not_found');
  });

  it('pages the ledger newest first with limit and before', async () => {
    await fundedCustomer(handle.database, 'page-1', 1000);
    for (const n of [1, 2, 3])
      await debit('api:page-1', `page-k${n}`, { amount: `${n}.00`, reason: `d${n}` });
    const first = await api.call('GET', '/api/v1/customers/api:page-1/ledger?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.entries.map((e: { amount: string }) => e.amount)).toEqual(['-3.00', '-2.00']);
    expect(first.body.entries[0]).toMatchObject({ kind: 'debit', reason: 'd3', order_no: null });
    const next = await api.call(
      'GET',
      `/api/v1/customers/api:page-1/ledger?limit=2&before=${first.body.next_before}`,
    );
    expect(next.body.entries.map((e: { amount: string }) => e.amount)).toEqual(['-1.00', '10.00']);
    const last = await api.call(
      'GET',
      `/api/v1/customers/api:page-1/ledger?limit=2&before=${next.body.next_before}`,
    );
    expect(last.body).toMatchObject({ entries: [], next_before: null });
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'before=-1', 'before=1.5']) {
      const bad = await api.call('GET', `/api/v1/customers/api:page-1/ledger?${query}`);
      expect(bad.body.error?.code, query).toBe('request.invalid_query');
    }
  });

  it('creates an order for an api customer (created by it) and reads it back by number', async () => {
    const created = await api.call('POST', '/api/v1/orders', {
      body: { customer: 'api:buyer-1', amount: '10.00' },
    });
    expect(created.status).toBe(201);
    const { order } = created.body;
    expect(order).toMatchObject({
      customer: 'api:buyer-1',
      status: 'pending',
      amount: '10.00',
      payable_amount: '10.00',
      provider: null,
      qr_content: 'https://qr.alipay.com/fkx12345test',
    });
    expect(order.order_no).toMatch(/^[A-Z2-9]{8}$/);
    const second = await api.call('POST', '/api/v1/orders', {
      body: { customer: 'api:buyer-1', amount: '10.00' },
    });
    expect(second.body.order.payable_amount).toBe('9.99');
    const read = await api.call('GET', `/api/v1/orders/${order.order_no.toLowerCase()}`);
    expect(read).toMatchObject({
      status: 200,
      body: { order: { order_no: order.order_no, status: 'pending' } },
    });
    expect((await api.call('GET', '/api/v1/customers/api:buyer-1')).body.balance).toBe('0.00');
    expect((await api.call('GET', '/api/v1/orders/ABCDEFGH')).body.error.code).toBe('order.not_found');
    expect((await api.call('GET', '/api/v1/orders/nope!')).body.error.code).toBe('order.invalid_number');
  });

  it('refuses bad orders with their codes and creates nothing, not even the customer', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ customer: 'api:new-1', amount: '0.50' }, 422, 'amount.out_of_range'],
      [{ customer: 'api:new-1', amount: '5000.01' }, 422, 'amount.out_of_range'],
      [{ customer: 'api:new-1', amount: '10.001' }, 400, 'amount.invalid'],
      [{ customer: 'api:new-1', amount: '10.00', provider: 'wechat' }, 422, 'provider.not_enabled'],
      [{ customer: 'api:new-1', amount: '10.00', provider: 'paypal' }, 400, 'request.invalid'],
      [{ customer: 'telegram:5', amount: '10.00' }, 422, 'customer.channel_not_supported'],
      [{ customer: 'api:bad id', amount: '10.00' }, 400, 'customer.invalid_id'],
      [{ amount: '10.00' }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await api.call('POST', '/api/v1/orders', { body });
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.body.error.code, JSON.stringify(body)).toBe(code);
    }
    const [row] = await handle.database.rows<{ n: number }>(
      sql`select count(*)::int as n from customers where external_id = 'new-1'`,
    );
    expect(row?.n).toBe(0);
  });

  it('refuses more pending orders than MAX_PENDING_PER_CUSTOMER, as /recharge does', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) {
      const reply = await api.call('POST', '/api/v1/orders', {
        body: { customer: 'api:many', amount: '20.00' },
      });
      codes.push(reply.status === 201 ? 'created' : reply.body.error.code);
    }
    expect(codes).toEqual(['created', 'created', 'created', 'order.too_many_pending']);
  });
});
