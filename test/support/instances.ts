// Several service processes on one database, each with its own HTTP port: who leads, killing the leader,
// and the fixture both the several-instances test and its benchmark use (orders, cursor, signed mail).
import { ImapFlow } from 'imapflow';
import { ORDER_NUMBER_ALPHABET } from '../../src/modules/orders/order-number.ts';
import { openDatabase } from '../../src/shared/db/database.ts';
import { mailboxCursors } from '../../src/shared/db/schema.ts';
import { signMail } from './dkim.ts';
import { freePort } from './free-port.ts';
import { forwardedAlipayTransfer } from './notifications.ts';
import { insertPendingOrders } from './orders.ts';
import { startRoundRobinProxy } from './round-robin-proxy.ts';
import { fetchHealth, type ServiceProcess, spawnService } from './service-process.ts';
import type { Stack } from './stack.ts';

export const FIRST_CUSTOMER = 60_000;

export interface Instance {
  port: number;
  process: ServiceProcess;
}

/** An instance on its own HTTP port, from the sources (tests) or from the build (`dist`: benchmarks). */
export async function spawnInstance(
  stack: Stack,
  options: { entry?: 'source' | 'dist' } = {},
): Promise<Instance> {
  const port = await freePort();
  return { port, process: spawnService({ ...stack.env, HTTP_PORT: String(port) }, options) };
}

/**
 * Several instances as the README runs them: Telegram by webhook, registered at a round-robin proxy in front
 * of `instances` (long polling allows one poller per bot). Instances spawned afterwards take the setting.
 */
export async function webhookBehindProxy(stack: Stack, instances: readonly Instance[]) {
  const proxy = await startRoundRobinProxy(() => instances.map((instance) => instance.port));
  Object.assign(stack.env, { TELEGRAM_WEBHOOK: 'true', PUBLIC_URL: proxy.url });
  return proxy;
}

/** The role /healthz shows; undefined while the instance does not answer. */
export async function roleOf(instance: Instance): Promise<string | undefined> {
  const health = await fetchHealth(instance.port);
  return health?.body.role as string | undefined;
}

/** The one instance that says it leads, or undefined while none (or more than one) does. */
export async function leaderOf(instances: readonly Instance[]): Promise<Instance | undefined> {
  const roles = await Promise.all(instances.map(roleOf));
  const leaders = instances.filter((_, i) => roles[i] === 'leader');
  return leaders.length === 1 ? leaders[0] : undefined;
}

function orderNumber(i: number): string {
  const digits = [961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(i / unit) % 31]).join('');
  return `KQZWY${digits}`;
}

/**
 * `count` pending orders (customer FIRST_CUSTOMER + i pays 100.00 + i fen), the cursor at the mailbox's end,
 * and the signed notification of each payment, ready to APPEND.
 */
export async function preparePayments(stack: Stack, count: number): Promise<Buffer[]> {
  const orders = Array.from({ length: count }, (_, i) => ({
    orderNo: orderNumber(i),
    payableFen: 10_000 + i,
  }));
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
  const setup = await openDatabase({
    url: stack.database.env.DATABASE_URL,
    dataDir: stack.database.env.DATA_DIR,
  });
  try {
    await insertPendingOrders(setup.db, orders, { firstCustomerId: FIRST_CUSTOMER });
    await setup.db
      .insert(mailboxCursors)
      .values({ mailbox: 'INBOX', uidValidity: mailbox.uidValidity, lastUid: mailbox.uidNext - 1 });
  } finally {
    await setup.close();
  }
  return Promise.all(
    orders.map(async (order) => {
      const amount = (order.payableFen / 100).toFixed(2);
      return Buffer.from(
        await signMail(forwardedAlipayTransfer({ amount, memo: `充值${order.orderNo}` }), stack.dkim),
      );
    }),
  );
}

/** How many credit messages (✅) each customer got at the Bot API double. */
export function creditMessagesPerCustomer(stack: Stack): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of stack.telegram.sent) {
    if (m.chatId >= FIRST_CUSTOMER && (m.text ?? '').includes('✅'))
      counts.set(m.chatId, (counts.get(m.chatId) ?? 0) + 1);
  }
  return counts;
}
