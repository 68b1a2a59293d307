// GET /healthz: 200 with component states when the database, mailbox and bot are up; 503 otherwise; and the
// instance's role. The body says up or down per component, and counts a component keeps (numbers only),
// nothing else: error texts name hosts, users and secrets.
import type { Route } from './router.ts';

export type ComponentCheck = () => Promise<{ up: boolean; counts?: Readonly<Record<string, number>> }>;

const CHECK_TIMEOUT_MS = 3_000;

/** `role`: what this instance does among several (single, leader, follower), shown beside the checks. */
export function healthRoute(checks: Record<string, ComponentCheck>, role?: () => string): Route {
  return {
    method: 'GET',
    path: '/healthz',
    async handle(_request, response) {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          const state = await withTimeout(check(), CHECK_TIMEOUT_MS).then(
            (found) => ({
              up: found.up === true,
              ...(found.counts ? { counts: numbers(found.counts) } : {}),
            }),
            () => ({ up: false }),
          );
          return [name, state] as const;
        }),
      );
      const components = Object.fromEntries(entries);
      const ok = entries.every(([, state]) => state.up);
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ status: ok ? 'ok' : 'degraded', ...(role ? { role: role() } : {}), components }),
        );
    },
  };
}

function numbers(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => Number.isFinite(n)));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
