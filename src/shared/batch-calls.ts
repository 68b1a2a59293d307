// Calls made in the same turn of the event loop, run together: many customers' requests in one transaction.

export interface BatchLimits {
  /** Calls in one batch at most. */
  maxBatch: number;
  /**
   * Batches running at once at most. Calls made while every slot is taken wait and go together in the next
   * batch: under load the batches grow instead of multiplying, as a database's group commit does.
   */
  maxInFlight: number;
}

/**
 * Returns a function whose calls are collected until the current turn of the event loop ends (or, all slots
 * taken, until a batch settles), then handed to `run` together, in batches within `limits`. `run` settles
 * each request, in order: each call resolves or rejects with its own outcome (or rejects with `run`'s error).
 */
export function batchCalls<Request, Result>(
  run: (requests: readonly Request[]) => Promise<ReadonlyArray<PromiseSettledResult<Result>>>,
  limits: BatchLimits,
): (request: Request) => Promise<Result> {
  const waiting: Array<{
    request: Request;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }> = [];
  let inFlight = 0;
  let flushQueued = false;

  function flushAll() {
    flushQueued = false;
    while (waiting.length > 0 && inFlight < limits.maxInFlight) {
      inFlight++;
      void flush(waiting.splice(0, limits.maxBatch)).finally(() => {
        inFlight--;
        flushAll();
      });
    }
  }

  async function flush(batch: typeof waiting) {
    try {
      const results = await run(batch.map((call) => call.request));
      batch.forEach((call, i) => {
        const result = results[i];
        if (result?.status === 'fulfilled') call.resolve(result.value);
        else call.reject(result ? result.reason : new Error('the batch settled no outcome for this request'));
      });
    } catch (error) {
      for (const call of batch) call.reject(error);
    }
  }

  return (request) =>
    new Promise<Result>((resolve, reject) => {
      waiting.push({ request, resolve, reject });
      if (!flushQueued && inFlight < limits.maxInFlight) {
        flushQueued = true;
        setImmediate(flushAll);
      }
    });
}

/**
 * Runs the requests together (one transaction). An error `retryable` says a fresh run may not meet (a key
 * taken by a concurrent writer, a freshly drawn number taken) runs them again, up to `attempts` times; any
 * other error, or the last, runs them one at a time, so a single bad request fails alone.
 */
export async function settleTogether<Request, Result>(
  run: (requests: readonly Request[]) => Promise<readonly Result[]>,
  requests: readonly Request[],
  options: { retryable: (error: unknown) => boolean; attempts: number },
): Promise<Array<PromiseSettledResult<Result>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      const outcomes = await run(requests);
      return outcomes.map((value) => ({ status: 'fulfilled', value }));
    } catch (error) {
      if (options.retryable(error) && attempt < options.attempts) continue;
      if (requests.length === 1) return [{ status: 'rejected', reason: error }];
      return (await Promise.all(requests.map((request) => settleTogether(run, [request], options)))).flat();
    }
  }
}
