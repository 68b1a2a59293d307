// Starts the HTTP outbox: shop notifies and events delivered from web_deliveries by lease, in the background.
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { createDeliverWebDelivery, type WebDeliveryTuning } from './deliver-web-delivery.ts';
import { startWebOutboxRunner, WEB_LIMITS } from './web-outbox-runner.ts';
import { WEB_RETRY_DELAYS_MS } from './web-retry-schedule.ts';

/** Internal knobs, not configuration: tests and benchmarks compress the schedule and the time-outs. */
export interface WebOutboxTuning extends WebDeliveryTuning {
  /** How long a claim holds a delivery: longer than a try can take, so only a crash lets it lapse. */
  leaseMs: number;
  dueCheckMs: number;
}

const REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_WEB_TUNING: WebOutboxTuning = {
  timeoutMs: REQUEST_TIMEOUT_MS,
  retryDelaysMs: WEB_RETRY_DELAYS_MS,
  leaseMs: REQUEST_TIMEOUT_MS + 20_000,
  dueCheckMs: 1_000,
};

export function startWebOutbox(deps: {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'merchant' | 'alarms'>;
  admins: AdminAudience;
  /** Told when admins have a message (a give-up). */
  telegramOutbox: { kick(): void };
  logger: Logger;
  tuning?: Partial<WebOutboxTuning> | undefined;
}) {
  const tuning = { ...DEFAULT_WEB_TUNING, ...deps.tuning };
  const store = createStore(deps.db);
  const stopping = new AbortController();
  const deliver = createDeliverWebDelivery({
    store,
    transaction: transactionOf(deps.db),
    clock: deps.clock,
    logger: deps.logger,
    merchant: deps.config.merchant,
    tuning,
    stop: stopping.signal,
    admins: deps.admins,
    floodPerMinute: deps.config.alarms.floodPerMinute,
    onTelegramQueued: () => deps.telegramOutbox.kick(),
  });
  const runner = startWebOutboxRunner({
    claim: (limit, busy) =>
      store.webDeliveries.claimDue({
        now: deps.clock.now(),
        limit,
        leaseMs: tuning.leaseMs,
        perHost: WEB_LIMITS.perHost,
        busy,
      }),
    deliver,
    dueCheckMs: tuning.dueCheckMs,
    logger: deps.logger,
  });
  return {
    kick: runner.kick,
    /** Stops claiming; tries on their way are aborted and given back for the next start (or instance). */
    async stop() {
      stopping.abort();
      await runner.stop();
    },
  };
}

export type WebOutbox = ReturnType<typeof startWebOutbox>;
