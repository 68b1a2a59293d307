// Pending orders of one amount: many customers `/recharge 10` at once; every order must get its own payable amount.

import { randomInt } from 'node:crypto';
import {
  type CreateOrder,
  createCreateOrder,
  orderingSettingsOf,
} from '../src/modules/orders/create-order.ts';
import { parseConfig } from '../src/shared/config/config.ts';
import { openDatabase } from '../src/shared/db/database.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { systemClock } from '../src/shared/ports.ts';
import { createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { summarise } from './stats.ts';

export const BENCH_ENV = {
  TELEGRAM_BOT_TOKEN: '1:bench',
  ADMIN_CHAT_IDS: '1',
  IMAP_HOST: '127.0.0.1',
  IMAP_USER: 'bench',
  IMAP_PASSWORD: 'bench',
  PAYEE_QR_URL: 'https://qr.alipay.com/bench',
};

export async function benchAllocation(options: { kind: DatabaseKind; customers: number }) {
  const testDb = await createTestDatabase(options.kind);
  const parsed = parseConfig({ ...BENCH_ENV, ...testDb.env, AMOUNT_OFFSET_MAX_FEN: '999' });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const database = await openDatabase(parsed.config.database);
  try {
    // The time each transaction runs (one holds up to 50 orders asked for at once), apart from waiting for
    // one of the pooled connections.
    const transactionMs: number[] = [];
    const db = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (work: (tx: unknown) => Promise<unknown>) =>
          target.transaction(async (tx) => {
            const started = performance.now();
            try {
              return await work(tx);
            } finally {
              transactionMs.push(performance.now() - started);
            }
          });
      },
    });
    const createOrder = createCreateOrder({
      transaction: transactionOf(db),
      ...orderingSettingsOf(parsed.config),
      clock: systemClock,
      randomIndex: (n) => randomInt(n),
      mailboxState: () => 'connected',
      onQueued: () => {},
    });
    const latencies: number[] = [];
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: options.customers }, async (_, i) => {
        const id = 1_000_000 + i;
        const t0 = performance.now();
        const outcome = await createOrder(
          { id, chatId: id, username: null, firstName: null, languageCode: null },
          1000,
        );
        latencies.push(performance.now() - t0);
        return outcome;
      }),
    );
    const wallMs = performance.now() - started;
    const amounts = outcomes.flatMap((o) => (o.kind === 'created' ? [o.order.payableFen] : []));
    const transaction = summarise(transactionMs);
    const depth = await allocateAtDepth(createOrder, Math.round(options.customers * 0.9), 100);
    return {
      kind: options.kind,
      customers: options.customers,
      created: amounts.length,
      distinctAmounts: new Set(amounts).size,
      rejected: outcomes.length - amounts.length,
      wallMs,
      latency: summarise(latencies),
      transaction,
      depth,
    };
  } finally {
    await database.close();
    await testDb.drop();
  }
}

/**
 * One allocation at a time where `pending` orders of the amount are already waiting: each scans past all of
 * them. Another amount (¥30) than the burst's, so the burst leaves its window alone.
 */
async function allocateAtDepth(createOrder: CreateOrder, pending: number, measured: number) {
  const customer = (id: number) => ({ id, chatId: id, username: null, firstName: null, languageCode: null });
  await Promise.all(Array.from({ length: pending }, (_, i) => createOrder(customer(2_000_000 + i), 3000)));
  const latencies: number[] = [];
  for (let i = 0; i < measured; i++) {
    const t0 = performance.now();
    const outcome = await createOrder(customer(3_000_000 + i), 3000);
    if (outcome.kind !== 'created')
      throw new Error(`allocation at depth refused: ${JSON.stringify(outcome)}`);
    latencies.push(performance.now() - t0);
  }
  return { pending, latency: summarise(latencies) };
}
