// Checks the alarms every few seconds, outside the report schedule; one check at a time.
import type { Logger } from '../../shared/ports.ts';
import { startRepeating } from '../../shared/repeat.ts';

export function startAlarmRunner(options: {
  checkAlarms: () => Promise<unknown>;
  intervalMs: number;
  logger: Logger;
}) {
  return startRepeating({
    run: options.checkAlarms,
    intervalMs: options.intervalMs,
    logger: options.logger,
    failure: 'alarm check failed',
  });
}
