// The service's HTTP server as main.ts starts it: GET /healthz (with the instance's role), /metrics, the webhooks
// (Telegram's, the forwarder's) and the modules' routes.
import type { ComponentCheck } from './modules/http/health-route.ts';
import type { Route } from './modules/http/router.ts';
import { serviceHealthRoute } from './modules/http/service-health.ts';
import { startHttp } from './modules/http/start-http.ts';
import type { InstanceRole } from './modules/instances/mailbox-leadership.ts';
import { metricsRoute } from './modules/metrics/metrics-route.ts';
import type { Config } from './shared/config/config.ts';
import type { Database } from './shared/db/database.ts';
import type { MailboxState } from './shared/ports.ts';

/** GET /healthz, /metrics, the webhooks (Telegram's, the forwarder's) and the modules' routes. */
export function serveHttp(deps: {
  config: Config;
  database: Database;
  role: () => InstanceRole;
  mailboxState: () => MailboxState;
  telegram: { pollingState: () => string; webhook: { route: Route } | null };
  forwarder: { routes: readonly Route[]; health: ComponentCheck } | null;
  routes: readonly Route[];
}) {
  const { database, role, mailboxState, telegram, forwarder } = deps;
  const health = {
    mailboxState,
    pollingState: telegram.pollingState,
    role,
    forwarder: forwarder?.health ?? null,
  };
  return startHttp(deps.config, [
    serviceHealthRoute(database, health),
    metricsRoute({ database, role, mailboxState }),
    ...(telegram.webhook ? [telegram.webhook.route] : []),
    ...(forwarder?.routes ?? []),
    ...deps.routes,
  ]);
}
