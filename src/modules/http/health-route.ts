// GET /healthz: 200 with component states when the database, mailbox and bot are up; 503 otherwise; and the
// instance's role.
// The body says up or down per component and nothing else: error texts name hosts, users and secrets.
import type { Route } from './router.ts';

export type ComponentCheck = () => Promise<{ up: boolean }>;

const CHECK_TIMEOUT_MS = 3_000;

/** `role`: what this instance does among several (single, leader, follower), shown beside the checks. */
export function healthRoute(checks: Record<string, ComponentCheck>, role?: () => string): Route {
  return {
    method: 'GET',
    path: '/healthz',
    async handle(_request, response) {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          const up = await withTimeout(check(), CHECK_TIMEOUT_MS).then(
            (state) => state.up === true,
            () => false,
          );
          return [name, { up }] as const;
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
