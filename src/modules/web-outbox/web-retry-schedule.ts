// When the HTTP outbox tries a delivery again: a fixed schedule of 9 tries over about two days (SPEC §8 asks for
// at least 8 over at least 24 hours), front-loaded so a shop that blinked hears of the payment within seconds.

/** The wait after each failed try, in order; after the last entry's try fails, the delivery is given up. */
export const WEB_RETRY_DELAYS_MS: readonly number[] = [
  15_000,
  60_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  6 * 3_600_000,
  15 * 3_600_000,
  24 * 3_600_000,
];

export type NextTry = { kind: 'retry'; at: Date } | { kind: 'give_up' };

/** After `triesDone` tries (this one included) that all failed: when to try again, or give up. */
export function nextTry(triesDone: number, now: Date, delaysMs: readonly number[]): NextTry {
  const delay = delaysMs[triesDone - 1];
  if (delay === undefined) return { kind: 'give_up' };
  return { kind: 'retry', at: new Date(now.getTime() + delay) };
}
