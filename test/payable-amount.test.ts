import { describe, expect, it } from 'vitest';
import { payableCandidates, payableWindow } from '../src/modules/orders/payable-amount.ts';

describe('payable amount candidates', () => {
  it('start at the requested amount and step down one fen at a time up to the offset', () => {
    expect(payableCandidates(1000, 3, 'down')).toEqual([1000, 999, 998, 997]);
  });

  it('step up with AMOUNT_OFFSET_DIRECTION=up', () => {
    expect(payableCandidates(1000, 3, 'up')).toEqual([1000, 1001, 1002, 1003]);
  });

  it('are only the requested amount with an offset of 0', () => {
    expect(payableCandidates(1000, 0, 'down')).toEqual([1000]);
  });

  it('never reach zero or below', () => {
    expect(payableCandidates(3, 50, 'down')).toEqual([3, 2, 1]);
    expect(payableCandidates(1, 50, 'down')).toEqual([1]);
  });

  it('are distinct and the window has offset + 1 amounts', () => {
    const candidates = payableCandidates(500_000, 50, 'down');
    expect(candidates).toHaveLength(51);
    expect(new Set(candidates).size).toBe(51);
    expect(candidates.at(-1)).toBe(499_950);
  });

  it('are the window the database generates them from (start, direction, how many)', () => {
    expect(payableWindow(1000, 3, 'down')).toEqual({ fromFen: 1000, step: -1, count: 4 });
    expect(payableWindow(1000, 3, 'up')).toEqual({ fromFen: 1000, step: 1, count: 4 });
    expect(payableWindow(3, 50, 'down')).toEqual({ fromFen: 3, step: -1, count: 3 });
    expect(payableWindow(0, 50, 'up')).toEqual({ fromFen: 0, step: 1, count: 0 });
  });
});
