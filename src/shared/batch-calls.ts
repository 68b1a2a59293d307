// Calls made in the same turn of the event loop, run together: many customers' requests in one transaction.

/**
 * Returns a function whose calls are collected until the current turn of the event loop ends, then handed
 * to `run` together, at most `maxBatch` at a time (the batches run side by side). `run` settles each
 * request, in order: each call resolves or rejects with its own outcome (or rejects with `run`'s error).
 */
export function batchCalls<Request, Result>(
  run: (requests: readonly Request[]) => Promise<ReadonlyArray<PromiseSettledResult<Result>>>,
  maxBatch: number,
): (request: Request) => Promise<Result> {
  const waiting: Array<{
    request: Request;
    resolve: (result: Result) => void;
    reject: (error: unknown) => void;
  }> = [];

  function flushAll() {
    while (waiting.length > 0) void flush(waiting.splice(0, maxBatch));
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
      if (waiting.length === 0) setImmediate(flushAll);
      waiting.push({ request, resolve, reject });
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
