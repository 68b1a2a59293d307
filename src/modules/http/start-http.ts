// The HTTP server as the service runs it: GET /healthz over the service's parts and whatever routes other
// modules add (the forwarder webhook, the EPay API, the checkout page), unless HTTP_PORT=0.
import { sql } from 'drizzle-orm';
import type { Config } from '../../shared/config/config.ts';
import type { Database } from '../../shared/db/database.ts';
import type { MailboxState } from '../../shared/ports.ts';
import { type ComponentCheck, healthRoute } from './health-route.ts';
import { startHttpServer } from './http-server.ts';
import { createRouter, type Route } from './router.ts';

export async function startHttp(
  config: Config,
  database: Database,
  state: {
    mailboxState: () => MailboxState;
    telegram: { pollingState: () => string };
    /** The forwarder webhook's /healthz check, when it is on. */
    forwarder: { health: ComponentCheck } | null;
    /** The other modules' routes: the forwarder webhook, the EPay API, the checkout page. */
    routes: readonly Route[];
  },
) {
  if (config.httpPort === 0) return null;
  const router = createRouter([
    healthRoute({
      database: async () => {
        await database.rows(sql`select 1`);
        return { up: true };
      },
      mailbox: async () => ({ up: state.mailboxState() === 'connected' }),
      bot: async () => ({ up: state.telegram.pollingState() === 'polling' }),
      ...(state.forwarder ? { forwarder: state.forwarder.health } : {}),
    }),
    ...state.routes,
  ]);
  const server = await startHttpServer({ port: config.httpPort, host: config.httpHost, router });
  return { port: server.port, stop: server.close };
}
