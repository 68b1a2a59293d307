// Runs the expiry sweep on an interval (every process may run it: the sweep is safe to run concurrently).

import type { Logger } from '../../shared/ports.ts';
import type { ExpireOrders } from './expire-orders.ts';

/** Often enough that an expired amount is free within seconds, rarely enough to cost nothing. */
export const SWEEP_INTERVAL_MS = 10_000;

export function startExpirySweeper({
  expireOrders,
  logger,
  intervalMs = SWEEP_INTERVAL_MS,
}: {
  expireOrders: ExpireOrders;
  logger: Logger;
  intervalMs?: number;
}) {
  let running: Promise<void> | null = null;

  const sweep = () => {
    // A slow sweep is not overlapped by the next tick.
    if (running) return;
    running = expireOrders()
      .then((expired) => {
        if (expired.length > 0) logger.info({ orderNos: expired }, 'orders expired');
      })
      .catch((error) => logger.error({ err: error }, 'expiry sweep failed'))
      .finally(() => {
        running = null;
      });
  };

  sweep();
  const timer = setInterval(sweep, intervalMs);
  return {
    /** Stops the schedule and waits for a sweep in progress. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
