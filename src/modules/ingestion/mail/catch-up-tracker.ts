// Follows a catch-up of the mailbox while it runs: a progress line every few seconds, and the figures for /health.
import type { Logger } from '../../../shared/ports.ts';
import {
  type CatchUp,
  type CatchUpFigures,
  catchUpFigures,
  describeCatchUp,
  formatDuration,
  startCatchUp,
} from './catch-up-progress.ts';

export function createCatchUpTracker(deps: { logger: Logger; intervalMs: number }) {
  let catchUp: CatchUp | null = null;
  let timer: NodeJS.Timeout | undefined;
  let logged = false;

  // On a timer, not per batch: a slow batch (large mails, DKIM look-ups) must not silence the progress.
  function logProgress() {
    if (!catchUp) return;
    const figures = catchUpFigures(catchUp, Date.now());
    deps.logger.info({ ...figures }, describeCatchUp(figures));
    logged = true;
  }

  return {
    /** `remaining` messages wait on the server: starts a catch-up, or updates the running one's count. */
    counted(remaining: number) {
      if (catchUp) {
        catchUp = { ...catchUp, remaining };
        return;
      }
      catchUp = startCatchUp(Date.now(), remaining);
      logged = false;
      timer = setInterval(logProgress, deps.intervalMs);
      timer.unref();
    },
    processed(count: number) {
      if (!catchUp) return;
      catchUp = { ...catchUp, done: catchUp.done + count, remaining: Math.max(0, catchUp.remaining - count) };
    },
    /** The sync ended (caught up, failed or stopped). A catch-up long enough to log progress logs its end too. */
    finish() {
      clearInterval(timer);
      if (catchUp && logged) {
        const seconds = (Date.now() - catchUp.startedAt) / 1000;
        const { done, remaining } = catchUp;
        deps.logger.info(
          { done, remaining, seconds },
          remaining === 0
            ? `caught up: ${done} messages in ${formatDuration(seconds)}`
            : `catch-up interrupted after ${done} messages, ${remaining} left; it resumes with the next sync`,
        );
      }
      catchUp = null;
    },
    figures(): CatchUpFigures | null {
      return catchUp ? catchUpFigures(catchUp, Date.now()) : null;
    },
  };
}
