// GET /healthz as an operator's probe sees it: generic component states only, bound to HTTP_HOST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRoute } from '../src/modules/http/health-route.ts';
import { startHttpServer } from '../src/modules/http/http-server.ts';
import { createRouter } from '../src/modules/http/router.ts';
import { eventually } from './support/eventually.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

async function get(host: string, port: number) {
  try {
    const response = await fetch(`http://${host}:${port}/healthz`);
    return { status: response.status, text: await response.text() };
  } catch {
    return undefined;
  }
}

describe('the health endpoint', () => {
  it('answers down, never the error text, host or secret a failing check threw', async () => {
    const secretError = new Error(
      'connect ECONNREFUSED db.internal.example:5432 (postgres://mailpay:hunter2-secret@db.internal.example/mailpay)',
    );
    const health = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      router: createRouter([
        healthRoute({
          database: async () => {
            throw secretError;
          },
          mailbox: async () => ({
            up: false,
            detail: 'IMAP imap.internal.example: password hunter2-secret refused',
          }),
          bot: async () => ({ up: true }),
        }),
      ]),
    });
    try {
      const answer = await get('127.0.0.1', health.port);
      expect(answer?.status).toBe(503);
      expect(JSON.parse(answer?.text ?? '')).toEqual({
        status: 'degraded',
        components: { database: { up: false }, mailbox: { up: false }, bot: { up: true } },
      });
      for (const leak of ['hunter2', 'internal.example', 'ECONNREFUSED', '5432'])
        expect(answer?.text).not.toContain(leak);
    } finally {
      await health.close();
    }
  });
});

describe.each(DATABASE_KINDS)('the service health endpoint on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('listens on 127.0.0.1 by default, not on every address', async () => {
    const port = stack.service?.healthPort ?? 0;
    expect((await get('127.0.0.1', port))?.status).toBe(200);
    // 127.0.0.2 is another loopback address: reachable only when the server binds 0.0.0.0.
    expect(await get('127.0.0.2', port)).toBeUndefined();
  });

  it('says the database is down, and nothing of its error, once the database is gone', async () => {
    await stack.service?.database.close();
    const port = stack.service?.healthPort ?? 0;
    const answer = await eventually(async () => {
      const health = await get('127.0.0.1', port);
      return health?.status === 503 ? health : undefined;
    });
    const body = JSON.parse(answer.text) as { status: string; components: Record<string, unknown> };
    expect(body.status).toBe('degraded');
    expect(body.components.database).toEqual({ up: false });
    expect(
      Object.values(body.components).every((c) => JSON.stringify(c).match(/^\{"up":(true|false)\}$/)),
    ).toBe(true);
  });
});

// Binding touches no database: one kind is enough.
describe('HTTP_HOST', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pglite', { HTTP_HOST: '127.0.0.2' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('binds the configured address only', async () => {
    const port = stack.service?.healthPort ?? 0;
    expect((await get('127.0.0.2', port))?.status).toBe(200);
    expect(await get('127.0.0.1', port)).toBeUndefined();
  });
});
