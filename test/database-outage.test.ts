// PostgreSQL unreachable while a notification arrives: the message waits (it is not given up on as failed),
// and it is credited once the database is back. Real PostgreSQL behind a TCP proxy the test can cut.
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerOfUser } from './support/customers.ts';
import { eventually } from './support/eventually.ts';
import { freePort } from './support/free-port.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { mailboxReady, type Stack, startStack } from './support/stack.ts';

/** Forwards a local port to PostgreSQL; `cut()` drops every connection and refuses new ones until `restore()`. */
async function startProxy(target: { host: string; port: number }) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await listen();
  return {
    port,
    async cut() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: listen,
    close: () => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined))),
  };
}

describe('a database outage while mail arrives (postgres)', () => {
  let stack: Stack;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    stack = await startStack('postgres');
    const url = new URL(stack.env.DATABASE_URL ?? '');
    proxy = await startProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.host = `127.0.0.1:${proxy.port}`;
    stack.env.DATABASE_URL = url.toString();
    // Fast retries, so the outage spans many more attempts than the give-up limit for real errors.
    await stack.startService({ tuning: { mailbox: { retry: { baseMs: 100, maxMs: 500 } } } });
    await mailboxReady(stack);
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await stack?.dispose();
    await proxy?.close();
  });

  it('keeps retrying the message while PostgreSQL is unreachable and credits it when it is back', async () => {
    const user = { id: 97_001, firstName: 'Fa' };
    const { orderNo, payable } = await recharge(stack, user, '77');
    await proxy.cut();
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await proxy.restore();

    // The ledger, not the chat: the outbox holds what it had claimed when the database went away
    // for its lease (60 s) before sending again, and the customer's message queues behind it.
    // The test reads through the same proxy: its own connection may still be coming back, so a failed
    // read is just "not yet".
    const rows = await eventually(async () => {
      const found = await stack
        .rows<{ status: string; parse_kind: string; order_no: string }>(
          sql`select p.status, p.parse_kind, o.order_no from payments p left join orders o on o.id = p.order_id`,
        )
        .catch(() => undefined);
      return found && found.length > 0 && found.every((row) => row.status !== 'review') ? found : undefined;
    }, 30_000);
    expect(rows).toEqual([{ status: 'matched', parse_kind: 'payment', order_no: orderNo }]);
    const ledger = await stack.rows<{ amount_fen: number }>(
      sql`select amount_fen::int from ledger_entries where customer_id = ${customerOfUser(user.id)} and kind = 'credit'`,
    );
    expect(ledger).toEqual([{ amount_fen: 7_700 }]);
  }, 60_000);
});
