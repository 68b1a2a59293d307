// `/recharge` → photo, server side: many customers at once through the Bot API double, real long polling.

import { startStack } from '../test/support/stack.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { summarise } from './stats.ts';

export async function benchRecharge(options: { kind: DatabaseKind; customers: number; orders: number }) {
  const stack = await startStack(options.kind, {
    MAX_PENDING_PER_CUSTOMER: '100',
    AMOUNT_OFFSET_MAX_FEN: '999',
    ORDER_TTL_SECONDS: '3600',
  });
  try {
    await stack.startService();
    const perCustomer = Math.ceil(options.orders / options.customers);
    const latencies: number[] = [];
    let photos = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.customers }, async (_, c) => {
        const user = { id: 5_000_000 + c, firstName: 'Bench' };
        for (let i = 0; i < perCustomer; i++) {
          const sentBefore = stack.telegram.sent.length;
          const askedAt = Date.now();
          stack.telegram.sendText(user, `/recharge ${10 + (i % 5)}`);
          const answer = await stack.telegram.waitFor(
            (m) => m.chatId === user.id && m.at >= askedAt && stack.telegram.sent.indexOf(m) >= sentBefore,
            30_000,
          );
          latencies.push(answer.at - askedAt);
          if (answer.method === 'sendPhoto') photos++;
        }
      }),
    );
    return {
      kind: options.kind,
      customers: options.customers,
      orders: perCustomer * options.customers,
      photos,
      wallMs: performance.now() - started,
      latency: summarise(latencies),
    };
  } finally {
    await stack.dispose();
  }
}
