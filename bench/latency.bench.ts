// Mailbox arrival → credit message at the Telegram double, against the floor: a bare imapflow IDLE client.
import { randomInt } from 'node:crypto';
import { signMail } from '../test/support/dkim.ts';
import { forwardedAlipayTransfer } from '../test/support/notifications.ts';
import { type Stack, startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { openAppender, openIdleProbe } from './mailbox.ts';
import { summarise } from './stats.ts';

/** Dovecot's capabilities without IDLE: the watcher falls back to polling every IMAP_POLL_SECONDS. */
const NO_IDLE = 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE SORT UIDPLUS\n';

interface Order {
  user: { id: number };
  payable: string;
}

const CAPTION_AMOUNT = /<b>¥(\d+\.\d{2})<\/b>/;

/** Opens `count` orders through the bot, as customers would, and returns what each must pay. */
export async function openOrders(stack: Stack, count: number, firstUserId: number): Promise<Order[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const user = { id: firstUserId + i, firstName: 'Bench' };
      stack.telegram.sendText(user, '/recharge 10');
      const photo = await stack.telegram.waitFor(
        (m) => m.chatId === user.id && m.method === 'sendPhoto',
        60_000,
      );
      const payable = CAPTION_AMOUNT.exec(photo.caption ?? '')?.[1];
      if (!payable) throw new Error(`no amount in ${photo.caption}`);
      return { user, payable };
    }),
  );
}

export const creditedAt = (stack: Stack, order: Order) =>
  stack.telegram
    .waitFor((m) => m.chatId === order.user.id && (m.text ?? '').includes('✅'), 120_000)
    .then((m) => m.at);

/** Sequential scan-to-pay payments (no memo: matched by their unique amount) with IDLE. */
export async function benchIdleLatency(options: { kind: DatabaseKind; payments: number }) {
  const stack = await startStack(options.kind, { AMOUNT_OFFSET_MAX_FEN: '999', ORDER_TTL_SECONDS: '3600' });
  try {
    await stack.startService();
    const orders = await openOrders(stack, options.payments, 7_000_000);
    const probe = await openIdleProbe(stack.dovecot);
    const appender = await openAppender(stack.dovecot);
    const service: number[] = [];
    const floor: number[] = [];
    const overhead: number[] = [];
    try {
      for (const order of orders) {
        const raw = await signMail(forwardedAlipayTransfer({ amount: order.payable }), stack.dkim);
        const seen = probe.arrivals.length;
        await appender.append(raw);
        const appendedAt = Date.now();
        const credited = await creditedAt(stack, order);
        while (probe.arrivals.length <= seen) await new Promise((resolve) => setTimeout(resolve, 5));
        const floorAt = probe.arrivals[seen] as number;
        service.push(credited - appendedAt);
        floor.push(floorAt - appendedAt);
        overhead.push(credited - floorAt);
      }
    } finally {
      await Promise.allSettled([probe.close(), appender.close()]);
    }
    return {
      kind: options.kind,
      service: summarise(service),
      floor: summarise(floor),
      overhead: summarise(overhead),
    };
  } finally {
    await stack.dispose();
  }
}

/** The design mailpay replaces: polling every IMAP_POLL_SECONDS; payments land at random moments. */
export async function benchPollingLatency(options: {
  kind: DatabaseKind;
  payments: number;
  pollSeconds: number;
}) {
  const stack = await startStack(
    options.kind,
    {
      AMOUNT_OFFSET_MAX_FEN: '999',
      ORDER_TTL_SECONDS: '3600',
      IMAP_POLL_SECONDS: String(options.pollSeconds),
    },
    { dovecot: { extraConfig: NO_IDLE } },
  );
  try {
    await stack.startService();
    const orders = await openOrders(stack, options.payments, 8_000_000);
    const appender = await openAppender(stack.dovecot);
    const windowMs = 2 * options.pollSeconds * 1000;
    const latencies: number[] = [];
    try {
      await Promise.all(
        orders.map(async (order) => {
          await new Promise((resolve) => setTimeout(resolve, randomInt(windowMs)));
          const raw = await signMail(forwardedAlipayTransfer({ amount: order.payable }), stack.dkim);
          await appender.append(raw);
          const appendedAt = Date.now();
          latencies.push((await creditedAt(stack, order)) - appendedAt);
        }),
      );
    } finally {
      await appender.close();
    }
    return { kind: options.kind, pollSeconds: options.pollSeconds, service: summarise(latencies) };
  } finally {
    await stack.dispose();
  }
}
