// The balance API in the whole service (main.ts's wiring): an app's order paid by a DKIM-signed notification
// over IMAP, the balance read and debited over HTTP, and both events queued for EVENTS_WEBHOOK_URL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN } from './support/balance-api.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('balance API in the service on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, {
      API_TOKEN,
      EVENTS_WEBHOOK_URL: 'https://app.example/hooks/mailpay',
      EVENTS_WEBHOOK_SECRET: 'whsec-0123456789abcdef',
    });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`http://127.0.0.1:${stack.env.HTTP_PORT}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let tries = 0; ; tries++) {
      const value = await read();
      if (done(value) || tries > 100) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("credits an app's order from the mailbox, then debits its balance, queuing both events", async () => {
    const created = await call('POST', '/api/v1/orders', { customer: 'api:app-user-1', amount: '10.00' });
    expect(created.status).toBe(201);
    const { order_no: orderNo, payable_amount: payable } = created.body.order;

    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: `充值-${orderNo}` }));
    const paid = await until(
      () => call('GET', `/api/v1/orders/${orderNo}`),
      (reply) => reply.body.order?.status === 'paid',
    );
    expect(paid.body.order.status).toBe('paid');
    expect((await call('GET', '/api/v1/customers/api:app-user-1')).body.balance).toBe('10.00');

    const debit = await call(
      'POST',
      '/api/v1/customers/api:app-user-1/debits',
      { amount: '4.00', reason: 'VIP month' },
      { 'idempotency-key': 'vip-2026-05' },
    );
    expect(debit).toMatchObject({ status: 201, body: { debit: { balance: '6.00' } } });

    const events = await stack.rows<{ type: string; customer: string; amount: string }>(
      sql`select body->>'type' as type, body->'data'->>'customer' as customer, body->'data'->>'amount' as amount
          from web_deliveries where kind = 'event' and status = 'pending' order by id`,
    );
    expect(events).toEqual([
      { type: 'payment.credited', customer: 'api:app-user-1', amount: '10.00' },
      { type: 'balance.debited', customer: 'api:app-user-1', amount: '4.00' },
    ]);
  });

  it('answers 401 without the token', async () => {
    const response = await fetch(`http://127.0.0.1:${stack.env.HTTP_PORT}/api/v1/customers/api:app-user-1`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'auth.unauthorized' } });
  });
});
