// `/recharge` → photo, server side: many customers at once through the Bot API double, real long polling,
// against `npm start`'s process (the double and the customers run here, as Telegram runs elsewhere).

import { eventually } from '../test/support/eventually.ts';
import { fetchHealth, spawnService } from '../test/support/service-process.ts';
import { type Stack, startStack } from '../test/support/stack.ts';
import type { TelegramUser } from '../test/support/telegram-double.ts';
import type { DatabaseKind } from '../test/support/test-database.ts';
import { type Summary, summarise } from './stats.ts';

export interface RechargeFigures {
  orders: number;
  photos: number;
  wallMs: number;
  /** Update queued at the double → photo at the double. */
  latency: Summary;
  /** Update handed to the bot by getUpdates → photo at the double: the server's part. */
  serverLatency: Summary;
}

/**
 * Two loads of `customers` customers, `orders` orders each: `bursts` — all of them ask at the same moment,
 * and ask again once every answer is in; `sustained` — each asks again the moment it has its answer.
 */
export async function benchRecharge(options: {
  kind: DatabaseKind;
  customers: number;
  orders: number;
  nodeArgs?: string[];
}): Promise<{ bursts: RechargeFigures; sustained: RechargeFigures }> {
  const stack = await startStack(options.kind, {
    MAX_PENDING_PER_CUSTOMER: '100',
    AMOUNT_OFFSET_MAX_FEN: '999',
    ORDER_TTL_SECONDS: '3600',
  });
  const service = spawnService(stack.env, { entry: 'dist', nodeArgs: options.nodeArgs ?? [] });
  try {
    await eventually(
      async () => ((await fetchHealth(stack.env.HTTP_PORT ?? ''))?.status === 200 ? true : undefined),
      60_000,
    );
    const rounds = Math.ceil(options.orders / options.customers);
    const customers = (first: number) =>
      Array.from({ length: options.customers }, (_, c) => ({ id: first + c, firstName: 'Bench' }));

    const bursts = new Load(stack);
    const burstCustomers = customers(5_000_000);
    for (let round = 0; round < rounds; round++) {
      await Promise.all(burstCustomers.map((user) => bursts.ask(user, `/recharge ${10 + (round % 5)}`)));
    }
    const sustained = new Load(stack);
    await Promise.all(
      customers(6_000_000).map(async (user) => {
        // Other amounts than the bursts': payable amounts are unique across all pending orders.
        for (let round = 0; round < rounds; round++)
          await sustained.ask(user, `/recharge ${100 + (round % 5)}`);
      }),
    );
    return { bursts: bursts.figures(), sustained: sustained.figures() };
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
    await stack.dispose();
  }
}

/** Customers asking through the double, and what each answer took. */
class Load {
  private readonly started = performance.now();
  private readonly latencies: number[] = [];
  private readonly serverSide: number[] = [];
  private readonly answered = new WeakSet<object>();
  private photos = 0;

  constructor(private readonly stack: Stack) {}

  async ask(user: TelegramUser, text: string): Promise<void> {
    const { telegram } = this.stack;
    const askedAt = Date.now();
    const updateId = telegram.sendText(user, text);
    const answer = await telegram.waitFor(
      (m) => m.chatId === user.id && m.at >= askedAt && !this.answered.has(m),
      30_000,
    );
    this.answered.add(answer);
    this.latencies.push(answer.at - askedAt);
    this.serverSide.push(answer.at - (telegram.handedOutAt(updateId) ?? askedAt));
    if (answer.method === 'sendPhoto') this.photos++;
  }

  figures(): RechargeFigures {
    return {
      orders: this.latencies.length,
      photos: this.photos,
      wallMs: performance.now() - this.started,
      latency: summarise(this.latencies),
      serverLatency: summarise(this.serverSide),
    };
  }
}
