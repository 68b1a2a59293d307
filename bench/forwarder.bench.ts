// The forwarder webhook (SPEC §9): request → credit message at the Bot API double, beside the mail route in
// the same run, and 1,000 notifications posted by 20 concurrent clients, each credited once.
import { sql } from 'drizzle-orm';
import { signMail } from '../test/support/dkim.ts';
import { ALIPAY_PACKAGE, forwardedAlipayTransfer } from '../test/support/notifications.ts';
import { insertPendingOrders } from '../test/support/orders.ts';
import { defaultContent, defaultFormPost, kotlinSign, post } from '../test/support/sms-forwarder.ts';
import { type Stack, startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { creditedAt, openOrders } from './latency.bench.ts';
import { openAppender, openIdleProbe } from './mailbox.ts';
import { summarise } from './stats.ts';

const TOKEN = 'bench-forwarder-token-0123';
const SECRET = 'bench-forwarder-secret-0123';

function startForwarderStack(kind: DatabaseKind): Promise<Stack> {
  return startStack(kind, {
    AMOUNT_OFFSET_MAX_FEN: '999',
    ORDER_TTL_SECONDS: '3600',
    FORWARDER_TOKEN: TOKEN,
    FORWARDER_SECRET: SECRET,
  });
}

let lastTimestamp = 0;
/** A scan-to-pay notification (matched by its unique amount) as SmsForwarder posts it by default. */
function scanPayRequest(amount: string) {
  // Distinct notifications are distinct milliseconds on the phone.
  const timestamp = Math.max(Date.now(), lastTimestamp + 1);
  lastTimestamp = timestamp;
  const content = defaultContent({
    packageName: ALIPAY_PACKAGE,
    text: [`张三通过扫码向你付款${amount}元`],
    title: '收款通知',
    at: new Date(timestamp),
  });
  return defaultFormPost({ from: ALIPAY_PACKAGE, content, timestamp, sign: kotlinSign(SECRET, timestamp) });
}

const hookUrl = (stack: Stack) => `http://127.0.0.1:${stack.service?.healthPort}/hooks/forwarder/${TOKEN}`;

/** Sequential payments, alternately by webhook and by mail; the mail's floor is a bare IDLE client. */
export async function benchForwarderLatency(options: { kind: DatabaseKind; payments: number }) {
  const stack = await startForwarderStack(options.kind);
  try {
    await stack.startService();
    const orders = await openOrders(stack, options.payments * 2, 9_000_000);
    const probe = await openIdleProbe(stack.dovecot);
    const appender = await openAppender(stack.dovecot);
    const webhook: number[] = [];
    const reply: number[] = [];
    const mail: number[] = [];
    const mailOverhead: number[] = [];
    try {
      for (const [i, order] of orders.entries()) {
        if (i % 2 === 0) {
          const request = scanPayRequest(order.payable);
          const sentAt = Date.now();
          const answer = await post(hookUrl(stack), request);
          if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}`);
          reply.push(Date.now() - sentAt);
          webhook.push((await creditedAt(stack, order)) - sentAt);
          continue;
        }
        const raw = await signMail(forwardedAlipayTransfer({ amount: order.payable }), stack.dkim);
        const seen = probe.arrivals.length;
        await appender.append(raw);
        const appendedAt = Date.now();
        const credited = await creditedAt(stack, order);
        while (probe.arrivals.length <= seen) await new Promise((resolve) => setTimeout(resolve, 5));
        mail.push(credited - appendedAt);
        mailOverhead.push(credited - (probe.arrivals[seen] as number));
      }
    } finally {
      await Promise.allSettled([probe.close(), appender.close()]);
    }
    return {
      webhook: summarise(webhook),
      reply: summarise(reply),
      mail: summarise(mail),
      mailOverhead: summarise(mailOverhead),
    };
  } finally {
    await stack.dispose();
  }
}

/** `notifications` webhook posts by `clients` concurrent clients against as many pending orders. */
export async function benchForwarderThroughput(options: {
  kind: DatabaseKind;
  notifications: number;
  clients: number;
}) {
  const stack = await startForwarderStack(options.kind);
  try {
    await stack.startService();
    const db = stack.service?.database.db;
    if (!db) throw new Error('the service is not running');
    const specs = Array.from({ length: options.notifications }, (_, i) => ({
      orderNo: `FWB${String(i).padStart(6, '0')}`,
      payableFen: 20_000 + i,
    }));
    await insertPendingOrders(db, specs, { firstCustomerId: 500_000 });
    const requests = specs.map((spec) => scanPayRequest((spec.payableFen / 100).toFixed(2)));
    let next = 0;
    const statuses = new Map<number, number>();
    const startedAt = Date.now();
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        for (let request = requests[next++]; request; request = requests[next++]) {
          const { status } = await post(hookUrl(stack), request);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }),
    );
    const wallMs = Date.now() - startedAt;
    const [ledger] = await stack.rows<{ credits: number; orders: number; paid: number }>(
      sql`select count(*)::int as credits, count(distinct l.order_id)::int as orders,
                 (select count(*)::int from orders where status = 'paid' and order_no like 'FWB%') as paid
          from ledger_entries l join orders o on o.id = l.order_id
          where l.kind = 'credit' and o.order_no like 'FWB%'`,
    );
    return {
      wallMs,
      perSecond: options.notifications / (wallMs / 1000),
      ok: statuses.get(200) ?? 0,
      credits: ledger?.credits ?? 0,
      distinctOrders: ledger?.orders ?? 0,
      paid: ledger?.paid ?? 0,
    };
  } finally {
    await stack.dispose();
  }
}
