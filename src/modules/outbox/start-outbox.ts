// Starts the outbox: the delivery use case and the runner that sends in the background.
import type { Db } from '../../shared/db/database.ts';
import { createStore, transactionOf } from '../../shared/db/store.ts';
import type { Scrub } from '../../shared/logger/scrub-secrets.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { createDeliverOutbox } from './deliver-outbox.ts';
import { startOutboxRunner } from './outbox-runner.ts';
import { TELEGRAM_BROADCAST_RATE } from './send-budget.ts';
import type { SendTelegramMessage } from './send-failure.ts';
import { createSharedSendBudget } from './shared-send-budget.ts';

export function startOutbox(deps: {
  db: Db;
  clock: Clock;
  send: SendTelegramMessage;
  scrub: Scrub;
  admins: AdminAudience;
  floodPerMinute: number;
  logger: Logger;
}) {
  const transaction = transactionOf(deps.db);
  const deliverDue = createDeliverOutbox({ ...deps, store: createStore(deps.db), transaction });
  const budget = createSharedSendBudget({ transaction, rate: TELEGRAM_BROADCAST_RATE });
  return startOutboxRunner({ deliverDue, budget, logger: deps.logger });
}

export type Outbox = ReturnType<typeof startOutbox>;
