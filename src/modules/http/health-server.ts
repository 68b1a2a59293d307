// GET /healthz: 200 with component states when the database, mailbox and bot are up; 503 otherwise.
// The body says up or down per component and nothing else: error texts name hosts, users and secrets.
import { createServer, type Server } from 'node:http';

export type ComponentCheck = () => Promise<{ up: boolean }>;

export async function startHealthServer(options: {
  port: number;
  host: string;
  checks: Record<string, ComponentCheck>;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/healthz') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const entries = await Promise.all(
      Object.entries(options.checks).map(async ([name, check]) => {
        const up = await withTimeout(check(), 3_000).then(
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
      .end(JSON.stringify({ status: ok ? 'ok' : 'degraded', components }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
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
