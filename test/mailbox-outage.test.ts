import { describe, expect, it } from 'vitest';
import { nextDelay } from '../src/domain/backoff.ts';
import { sizeBoundedChunks } from '../src/domain/imap-cursor.ts';
import { initialOutage, type OutageState, observeMailbox } from '../src/domain/mailbox-outage.ts';

const ALERT_AFTER = 180_000;

function run(observations: Array<[connected: boolean, now: number]>) {
  let state: OutageState = initialOutage(0);
  const reports: string[] = [];
  for (const [connected, now] of observations) {
    const step = observeMailbox(state, { connected, now }, ALERT_AFTER);
    state = step.state;
    if (step.report) reports.push(`${step.report.kind}@${step.report.downSince}`);
  }
  return reports;
}

describe('observeMailbox', () => {
  it('says nothing about a drop shorter than the threshold', () => {
    expect(
      run([
        [true, 1],
        [false, 1_000],
        [false, 100_000],
        [true, 150_000],
      ]),
    ).toEqual([]);
  });

  it('reports an outage once when it passes the threshold, and its end once', () => {
    expect(
      run([
        [true, 1],
        [false, 1_000],
        [false, 100_000],
        [false, 181_000],
        [false, 500_000],
        [false, 900_000],
        [true, 901_000],
        [true, 950_000],
      ]),
    ).toEqual(['unreachable@1000', 'recovered@1000']);
  });

  it('reports each incident separately', () => {
    expect(
      run([
        [true, 1],
        [false, 10],
        [false, 200_000],
        [true, 210_000],
        [false, 300_000],
        [false, 490_000],
        [true, 500_000],
      ]),
    ).toEqual(['unreachable@10', 'recovered@10', 'unreachable@300000', 'recovered@300000']);
  });

  it('counts a mailbox that never connected since start-up as unreachable', () => {
    expect(
      run([
        [false, 1_000],
        [false, 180_000],
      ]),
    ).toEqual(['unreachable@0']);
  });
});

describe('reconnect back-off', () => {
  const policy = { baseMs: 1_000, maxMs: 30_000 };
  it('grows exponentially, never passes the cap, and spreads clients apart with jitter', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => nextDelay(attempt, policy, 0.999_999));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    const floors = [1, 5, 20].map((attempt) => nextDelay(attempt, policy, 0));
    expect(floors).toEqual([500, 8_000, 15_000]);
    const spread = new Set([0, 0.25, 0.5, 0.75].map((random) => nextDelay(4, policy, random)));
    expect(spread.size).toBe(4);
  });
});

describe('sizeBoundedChunks', () => {
  it('keeps each chunk within the byte budget, in order, a too-large message alone', () => {
    const sizes = [400, 300, 400, 1_500, 100, 100].map((size, uid) => ({ uid, size }));
    expect(sizeBoundedChunks(sizes, 1_000).map((chunk) => chunk.map((m) => m.uid))).toEqual([
      [0, 1],
      [2],
      [3],
      [4, 5],
    ]);
    expect(sizeBoundedChunks([], 1_000)).toEqual([]);
  });
});
