// Calls made in the same turn of the event loop are run together, in batches of a bounded size, a bounded
// number at once.
import { describe, expect, it } from 'vitest';
import { batchCalls } from '../src/shared/batch-calls.ts';

const LIMITS = { maxBatch: 10, maxInFlight: 10 };

describe('batchCalls', () => {
  it('runs the calls of one turn together, in order, and gives each call its own outcome', async () => {
    const batches: number[][] = [];
    const double = batchCalls(async (requests: readonly number[]) => {
      batches.push([...requests]);
      return requests.map((n) =>
        n < 0
          ? ({ status: 'rejected', reason: new Error(`negative ${n}`) } as const)
          : ({ status: 'fulfilled', value: n * 2 } as const),
      );
    }, LIMITS);
    const outcomes = await Promise.allSettled([double(1), double(-2), double(3)]);
    expect(batches).toEqual([[1, -2, 3]]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('negative -2') },
      { status: 'fulfilled', value: 6 },
    ]);
    // A later turn is a new batch.
    expect(await double(4)).toBe(8);
    expect(batches).toEqual([[1, -2, 3], [4]]);
  });

  it('splits a turn into batches of at most maxBatch, run side by side', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const sizes: number[] = [];
    const echo = batchCalls(
      async (requests: readonly number[]) => {
        sizes.push(requests.length);
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return requests.map((value) => ({ status: 'fulfilled', value }) as const);
      },
      { maxBatch: 3, maxInFlight: 3 },
    );
    const values = Array.from({ length: 8 }, (_, i) => i);
    expect(await Promise.all(values.map(echo))).toEqual(values);
    expect(sizes).toEqual([3, 3, 2]);
    expect(mostAtOnce).toBe(3);
  });

  it('holds calls made while every slot is taken, and sends them together when a batch settles', async () => {
    const batches: number[][] = [];
    let release = () => {};
    const held = batchCalls(
      async (requests: readonly number[]) => {
        batches.push([...requests]);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        return requests.map((value) => ({ status: 'fulfilled', value }) as const);
      },
      { maxBatch: 10, maxInFlight: 1 },
    );
    const first = held(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    // Three later turns, while the first batch runs: nothing starts until it settles, then one batch.
    const later: Array<Promise<number>> = [];
    for (const value of [2, 3, 4]) {
      later.push(held(value));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("rejects every call of a batch with the batch's error", async () => {
    const failing = batchCalls(async (): Promise<Array<PromiseSettledResult<number>>> => {
      throw new Error('database away');
    }, LIMITS);
    const outcomes = await Promise.allSettled([failing(1), failing(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : ''))).toEqual([
      'Error: database away',
      'Error: database away',
    ]);
  });
});
