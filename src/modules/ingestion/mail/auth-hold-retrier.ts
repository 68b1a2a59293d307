// Checks the payments held for a DKIM look-up every few seconds; one round at a time.
import type { Logger } from '../../../shared/ports.ts';
import { startRepeating } from '../../../shared/repeat.ts';
import type { RetryHeldAuthentications } from './retry-held-authentications.ts';

/** How often due holds are looked for; each hold's own back-off decides when it is tried. */
export const AUTH_HOLD_CHECK_MS = 5_000;

export function startAuthHoldRetrier(options: {
  retryHeldAuthentications: RetryHeldAuthentications;
  logger: Logger;
  intervalMs?: number;
}) {
  return startRepeating({
    run: options.retryHeldAuthentications,
    intervalMs: options.intervalMs ?? AUTH_HOLD_CHECK_MS,
    logger: options.logger,
    failure: 'retrying held payments failed',
  });
}
