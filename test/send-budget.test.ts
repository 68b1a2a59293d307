// Telegram's broadcast limit as a token bucket: bulk waits, answers spend ahead.
import { describe, expect, it } from 'vitest';
import { type SendBudget, type SendRate, spend, takeForBulk } from '../src/modules/outbox/send-budget.ts';

const rate: SendRate = { perSecond: 30, burst: 30 };
/** Full at the moment 0. */
const full: SendBudget = { tokens: rate.burst, at: 0 };

describe('the send budget', () => {
  it('lets a burst go at once, then paces bulk sending at the rate, a batch at a time', () => {
    const first = takeForBulk(full, rate, 0, 20);
    expect(first.granted).toBe(20);
    // 10 left: the next batch of 20 waits a third of a second for the other 10.
    const second = takeForBulk(first.budget, rate, 0, 20);
    expect(second).toMatchObject({ granted: 0, waitMs: 334 });
    expect(takeForBulk(second.budget, rate, 334, 20).granted).toBe(20);
  });

  it('never saves up more than the burst, nor grants more', () => {
    const idle = takeForBulk(full, rate, 60_000, 100);
    expect(idle.granted).toBe(30);
    expect(takeForBulk(idle.budget, rate, 60_000, 100)).toMatchObject({ granted: 0, waitMs: 1000 });
  });

  it('lets answers spend into debt, which bulk then waits out', () => {
    const owed = spend(full, rate, 0, 50);
    expect(owed.tokens).toBe(-20);
    const bulk = takeForBulk(owed, rate, 0, 10);
    expect(bulk).toMatchObject({ granted: 0, waitMs: 1000 });
    expect(takeForBulk(owed, rate, 1000, 10).granted).toBe(10);
    // However many answers go out, bulk waits at most a burst's worth of debt.
    const deep = spend(full, rate, 0, 5_000);
    expect(deep.tokens).toBe(-30);
    expect(takeForBulk(deep, rate, 0, 20).waitMs).toBe(1667);
  });

  it('takes back what a bulk grant did not use', () => {
    const taken = takeForBulk(full, rate, 0, 20);
    const returned = spend(taken.budget, rate, 0, -15);
    expect(returned.tokens).toBe(25);
  });
});
