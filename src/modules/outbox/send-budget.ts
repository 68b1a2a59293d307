// Telegram's broadcast limit ("about 30 messages a second" to different chats) as a token bucket: bulk
// messages wait for it; answers a customer is waiting for spend from it without waiting.

export interface SendBudget {
  /** Messages that may go now; can fall below zero when answers spend ahead. */
  tokens: number;
  at: number;
}

export interface SendRate {
  perSecond: number;
  /** At most this many saved up. */
  burst: number;
}

export const TELEGRAM_BROADCAST_RATE: SendRate = { perSecond: 30, burst: 30 };

function refilled(budget: SendBudget, rate: SendRate, now: number): SendBudget {
  const earned = ((now - budget.at) / 1000) * rate.perSecond;
  return { tokens: Math.min(rate.burst, budget.tokens + Math.max(0, earned)), at: Math.max(now, budget.at) };
}

/**
 * Takes `wanted` messages' worth for bulk sending, or what is left once that is sent (never less than
 * `wanted`, so a backlog goes out in batches, not one claim per message); when too little is left, how long
 * to wait for it.
 */
export function takeForBulk(
  budget: SendBudget,
  rate: SendRate,
  now: number,
  wanted: number,
): { budget: SendBudget; granted: number; waitMs: number } {
  const current = refilled(budget, rate, now);
  const needed = Math.min(wanted, rate.burst);
  if (current.tokens >= needed) {
    return { budget: { ...current, tokens: current.tokens - needed }, granted: needed, waitMs: 0 };
  }
  return {
    budget: current,
    granted: 0,
    waitMs: Math.ceil(((needed - current.tokens) / rate.perSecond) * 1000),
  };
}

/**
 * Spends `count` at once (answers a customer waits for), even into debt — at most one burst's worth, so
 * bulk sending waits a second at most for them; unused bulk grants come back (a negative count).
 */
export function spend(budget: SendBudget, rate: SendRate, now: number, count: number): SendBudget {
  const current = refilled(budget, rate, now);
  return { ...current, tokens: Math.max(-rate.burst, Math.min(rate.burst, current.tokens - count)) };
}
