// Checks the alarms every few seconds, outside the report schedule; one check at a time.
import type { Logger } from '../../app/ports.ts';

export function startAlarmRunner(options: {
  checkAlarms: () => Promise<unknown>;
  intervalMs: number;
  logger: Logger;
}) {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = options
      .checkAlarms()
      .then(() => undefined)
      .catch((error: unknown) => options.logger.error({ err: error }, 'alarm check failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs);
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
