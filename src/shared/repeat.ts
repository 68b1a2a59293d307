// Runs a job now and then on an interval, never two runs at once; a failed run is logged and the next one comes.
import type { Logger } from './ports.ts';

export function startRepeating(options: {
  run: () => Promise<unknown>;
  intervalMs: number;
  logger: Logger;
  /** The log message of a failed run. */
  failure: string;
}) {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .run()
      .then(() => undefined)
      .catch((error: unknown) => options.logger.error({ err: error }, options.failure))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  tick();
  return {
    /** Stops the schedule and waits for a run in progress. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
