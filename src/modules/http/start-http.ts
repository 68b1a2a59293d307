// The HTTP server as the service runs it: the routes the modules add (GET /healthz, /metrics, the forwarder and
// Telegram webhooks, the EPay API, the checkout page, the balance API), unless HTTP_PORT=0.
import type { Config } from '../../shared/config/config.ts';
import { startHttpServer } from './http-server.ts';
import { createRouter, type Route } from './router.ts';

export async function startHttp(config: Config, routes: readonly Route[]) {
  if (config.httpPort === 0) return null;
  const router = createRouter(routes);
  const server = await startHttpServer({ port: config.httpPort, host: config.httpHost, router });
  return { port: server.port, stop: server.close };
}
