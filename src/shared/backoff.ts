// Capped exponential back-off with equal jitter (half the ceiling fixed, the other half random), for
// reconnects and message retries.

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `attempt` (1 = first retry); `random` in [0, 1) spreads retries apart. */
export function nextDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
