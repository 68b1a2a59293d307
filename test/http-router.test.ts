// The one HTTP server serves every module's routes from one table: a route added by another module is
// served beside /healthz, an unknown path is a JSON 404, and a failing handler answers 500 with no detail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoute } from '../src/modules/http/health-route.ts';
import { startHttpServer } from '../src/modules/http/http-server.ts';
import { createRouter } from '../src/modules/http/router.ts';

describe('the HTTP router', () => {
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  const errors: object[] = [];
  beforeAll(async () => {
    const router = createRouter([healthRoute({ database: async () => ({ up: true }) })]);
    router.add({
      method: 'POST',
      path: '/webhook/test',
      handle: (_request, response) => void response.writeHead(202).end('queued'),
    });
    router.add({
      method: 'GET',
      path: '/broken',
      handle: async () => {
        throw new Error('secret detail');
      },
    });
    const logger = { info() {}, warn() {}, debug() {}, error: (obj: object) => void errors.push(obj) };
    server = await startHttpServer({ port: 0, host: '127.0.0.1', router, logger });
  });
  afterAll(async () => {
    await server?.close();
  });
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;

  it('serves a route another module added beside /healthz', async () => {
    const health = await fetch(url('/healthz?probe=1'));
    expect(health.status).toBe(200);
    const hook = await fetch(url('/webhook/test'), { method: 'POST', body: 'x' });
    expect([hook.status, await hook.text()]).toEqual([202, 'queued']);
  });

  it('answers 404 for an unknown path or a known path with another method', async () => {
    for (const response of [await fetch(url('/nowhere')), await fetch(url('/webhook/test'))]) {
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not found' });
    }
  });

  it('answers 500 without the error text when a handler fails, and logs it', async () => {
    const response = await fetch(url('/broken'));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret');
    expect(errors).toHaveLength(1);
  });

  it('refuses the same route twice', () => {
    const router = createRouter([healthRoute({})]);
    expect(() => router.add(healthRoute({}))).toThrow(/twice/);
  });
});
