// Wires the forwarder webhook when FORWARDER_TOKEN and FORWARDER_SECRET are set: its use case and its route.
import type { Config } from '../../../shared/config/config.ts';
import type { Db } from '../../../shared/db/database.ts';
import { transactionOf } from '../../../shared/db/store.ts';
import type { RootLogger } from '../../../shared/logger/logger.ts';
import type { Clock } from '../../../shared/ports.ts';
import type { Route } from '../../http/router.ts';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { reviewSettingsOf } from '../../review/review-settings.ts';
import { createRecordNotification } from '../record-notification.ts';
import { forwarderRoutes } from './forwarder-route.ts';
import { createReceiveForwarded } from './receive-forwarded.ts';

/** The webhook's routes, or none when it is off. */
export function forwarderWebhook(deps: {
  db: Db;
  config: Config;
  rules: readonly NotificationRule[];
  clock: Clock;
  onQueued: () => void;
  logger: RootLogger;
}): Route[] {
  const { config, clock, onQueued } = deps;
  const logger = deps.logger.child({ component: 'forwarder' });
  if (!config.forwarder) return [];
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
  return forwarderRoutes({ token: config.forwarder.token, intake, logger });
}
