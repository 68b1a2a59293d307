// The balance API wired once, for the service (main.ts) and the tests that serve it: its routes, none while
// API_TOKEN is unset.
import { randomInt } from 'node:crypto';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { createStore, storeSettingsOf, transactionOf } from '../../shared/db/store.ts';
import type { RootLogger } from '../../shared/logger/logger.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { Route } from '../http/router.ts';
import { createCreateOrder, orderingSettingsOf } from '../orders/create-order.ts';
import { createBearerCheck } from './api-auth.ts';
import { createApiOrders } from './api-orders.ts';
import { balanceApiRoutes } from './balance-api.routes.ts';
import { createCustomerAccount } from './customer-account.ts';
import { createDebitBalance } from './debit-balance.ts';

export function balanceApi(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  mailboxState: () => MailboxState;
  onQueued: () => void;
  logger: RootLogger;
}): Route[] {
  const { db, config, clock, onQueued } = deps;
  if (config.merchant.apiToken === null) return [];
  const store = createStore(db);
  const transaction = transactionOf(db, storeSettingsOf(config));
  const createOrder = createCreateOrder({
    transaction,
    ...orderingSettingsOf(config),
    clock,
    randomIndex: (n) => randomInt(n),
    mailboxState: deps.mailboxState,
    onQueued,
  });
  return balanceApiRoutes({
    isAuthorised: createBearerCheck(config.merchant.apiToken),
    account: createCustomerAccount({ store }),
    orders: createApiOrders({
      createOrder,
      store,
      pay: {
        payeeQrUrl: config.payeeQrUrl,
        payeeQrUrlWechat: config.payeeQrUrlWechat,
        publicUrl: config.merchant.publicUrl,
      },
    }),
    debitBalance: createDebitBalance({ transaction, clock, onQueued }),
    logger: deps.logger.child({ component: 'api' }),
  });
}
