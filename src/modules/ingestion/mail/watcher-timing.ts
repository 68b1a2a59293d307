// The mailbox watcher's time-outs, back-off policies and thresholds: production values, shortened by tests.
import type { BackoffPolicy } from '../../../shared/backoff.ts';

export interface WatcherTiming {
  /** Between reconnect attempts: capped exponential back-off with jitter. */
  reconnect: BackoffPolicy;
  /** Between reconnect attempts that log in to fail again (refused login, missing folder): providers lock such accounts. */
  slowRetry: BackoffPolicy;
  /** Between retries of a sync that failed (a DKIM key look-up failing, the database away, …). */
  retry: BackoffPolicy;
  /** An IMAP command (connect, SELECT, SEARCH, FETCH) taking longer than this drops the connection. */
  commandTimeoutMs: number;
  /** A silent socket is probed (NOOP) after this long, and dropped when the probe goes unanswered too. */
  socketTimeoutMs: number;
  /** With IDLE, still look this often: some servers drop IDLE silently. */
  safetySyncMs: number;
  /** Unreachable this long → the admins are told (and told again when it is back). */
  unreachableAlertMs: number;
  /** A message whose processing throws this many times for a non-transient reason is recorded as failed. */
  maxAttempts: number;
  /** While catching up, a progress line is logged this often. */
  progressIntervalMs: number;
}

export const DEFAULT_WATCHER_TIMING: WatcherTiming = {
  reconnect: { baseMs: 1_000, maxMs: 30_000 },
  // 5 to 10 minutes: equal jitter over a constant ceiling.
  slowRetry: { baseMs: 10 * 60_000, maxMs: 10 * 60_000 },
  retry: { baseMs: 1_000, maxMs: 60_000 },
  commandTimeoutMs: 60_000,
  socketTimeoutMs: 90_000,
  safetySyncMs: 5 * 60_000,
  unreachableAlertMs: 3 * 60_000,
  maxAttempts: 3,
  progressIntervalMs: 5_000,
};
