// The service's one HTTP server, serving the router's routes; a handler that throws answers 500, no detail.
import { createServer, type Server } from 'node:http';
import type { Logger } from '../../shared/ports.ts';
import type { Router } from './router.ts';

export async function startHttpServer(options: {
  port: number;
  host: string;
  router: Router;
  logger?: Logger;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    options.router.handle(request, response).catch((error: unknown) => {
      options.logger?.error({ err: error, path: request.url?.split('?')[0] }, 'http handler failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":"internal"}');
    });
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
