// The order use cases a customer calls, by Telegram user id as the bot names customers: wired once, for the
// service (main.ts) and for the tests that drive them as the bot does.
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { transactionOf } from '../../shared/db/store.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { Customers } from '../customers/create-customers.ts';
import { createCancelOrder } from './cancel-order.ts';
import { createCreateOrder, orderingSettingsOf } from './create-order.ts';
import { createListOrders } from './list-orders.ts';
import { createOrdersRepository } from './orders.repository.ts';

export function createCustomerOrders(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  users: Customers['telegramUsers'];
  randomIndex: (n: number) => number;
  mailboxState: () => MailboxState;
  onQueued: () => void;
  /** Told the outbox ids of the photos a customer waits for; by default they wait for `onQueued`'s wake-up. */
  deliverNow?: (outboxIds: readonly number[]) => void;
}) {
  const { db, config, clock, users, onQueued } = deps;
  const transaction = transactionOf(db);
  return {
    createOrder: createCreateOrder({
      transaction,
      ...orderingSettingsOf(config),
      clock,
      randomIndex: deps.randomIndex,
      mailboxState: deps.mailboxState,
      onQueued: deps.deliverNow ?? onQueued,
    }),
    cancelOrder: users.byUser(
      createCancelOrder({ transaction, clock, limits: config.recharge.limits, onQueued }),
      {
        kind: 'nothing_to_cancel' as const,
      },
    ),
    listOrders: users.byUser(createListOrders({ orders: createOrdersRepository({ db }) }), []),
  };
}
