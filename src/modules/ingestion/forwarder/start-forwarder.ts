// Wires the forwarder webhook when FORWARDER_TOKEN and FORWARDER_SECRET are set: its use case and its route.
import type { Config } from '../../../shared/config/config.ts';
import type { Db } from '../../../shared/db/database.ts';
import { createStore, transactionOf } from '../../../shared/db/store.ts';
import type { RootLogger } from '../../../shared/logger/logger.ts';
import type { Clock } from '../../../shared/ports.ts';
import type { ComponentCheck } from '../../http/health-route.ts';
import type { Route } from '../../http/router.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { reviewSettingsOf } from '../../review/review-settings.ts';
import { createRecordNotification } from '../record-notification.ts';
import { forwarderRoutes } from './forwarder-route.ts';
import { createReceiveForwarded } from './receive-forwarded.ts';

/** The webhook's routes and its /healthz check, or null when it is off. */
export function forwarderWebhook(deps: {
  db: Db;
  config: Config;
  rules: readonly NotificationRule[];
  clock: Clock;
  onQueued: () => void;
  logger: RootLogger;
}): { routes: Route[]; health: ComponentCheck } | null {
  const { config, clock, onQueued } = deps;
  const logger = deps.logger.child({ component: 'forwarder' });
  if (!config.forwarder) return null;
  const transaction = transactionOf(deps.db);
  const review = reviewSettingsOf(config);
  const intake = createReceiveForwarded({
    secret: config.forwarder.secret,
    rules: deps.rules,
    transaction,
    recordNotifications: createRecordNotification({ transaction, review, clock, onQueued }),
    admins: review.admins,
    clock,
    onQueued,
    logger,
  });
  const store = createStore(deps.db);
  return {
    routes: forwarderRoutes({ token: config.forwarder.token, intake, logger }),
    // Down while its silence alarm is on: orders wait and the phone has sent nothing.
    health: async () => ({
      up: !(await store.alarms.activeAlarms()).includes('forwarder_silence'),
      counts: await store.forwarder.refusalCounts(),
    }),
  };
}
