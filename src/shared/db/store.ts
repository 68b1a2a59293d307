// All repositories over one connection or transaction, so a use case commits its changes together.

import { createBalanceApiRepository } from '../../modules/balance-api/balance-api.repository.ts';
import { createIdempotencyKeysRepository } from '../../modules/balance-api/idempotency-keys.repository.ts';
import { createCheckoutRepository } from '../../modules/checkout/checkout.repository.ts';
import { createCustomersRepository } from '../../modules/customers/customers.repository.ts';
import { createTelegramCustomersRepository } from '../../modules/customers/telegram-customers.repository.ts';
import { createShopOrdersRepository } from '../../modules/epay/shop-orders.repository.ts';
import { createEventQueue } from '../../modules/events/event-queue.ts';
import { createForwarderRepository } from '../../modules/ingestion/forwarder/forwarder.repository.ts';
import { createAuthHoldsRepository } from '../../modules/ingestion/mail/auth-holds.repository.ts';
import { createCursorRepository } from '../../modules/ingestion/mail/cursor.repository.ts';
import { createLedgerRepository } from '../../modules/ledger/ledger.repository.ts';
import { createNoticesRepository } from '../../modules/notify/notices.repository.ts';
import { createOrdersRepository } from '../../modules/orders/orders.repository.ts';
import { createShopOrderViewsRepository } from '../../modules/orders/shop-order-views.repository.ts';
import { createOutboxRepository } from '../../modules/outbox/outbox.repository.ts';
import { createOutboxDeliveryRepository } from '../../modules/outbox/outbox-delivery.repository.ts';
import { createSendBudgetRepository } from '../../modules/outbox/send-budget.repository.ts';
import { createPaymentsRepository } from '../../modules/payments/payments.repository.ts';
import { createAlarmsRepository } from '../../modules/reports/alarms.repository.ts';
import { createReportsRepository } from '../../modules/reports/reports.repository.ts';
import { createAdminCardsRepository } from '../../modules/review/admin-cards.repository.ts';
import { createAuditLogRepository } from '../../modules/review/audit-log.repository.ts';
import { createReviewDecisionsRepository } from '../../modules/review/review-decisions.repository.ts';
import { createWebDeliveryRepository } from '../../modules/web-outbox/web-delivery.repository.ts';
import { createWebOutboxRepository } from '../../modules/web-outbox/web-outbox.repository.ts';
import type { Config } from '../config/config.ts';
import type { Db } from './database.ts';

/** How the service is set up where it changes what a transaction writes: events only with EVENTS_WEBHOOK_URL. */
export interface StoreSettings {
  events: boolean;
}

const NO_EVENTS: StoreSettings = { events: false };

export function createStore(db: Db, settings: StoreSettings = NO_EVENTS) {
  const webOutbox = createWebOutboxRepository({ db });
  return {
    customers: createCustomersRepository({ db }),
    telegramCustomers: createTelegramCustomersRepository({ db }),
    orders: createOrdersRepository({ db }),
    payments: createPaymentsRepository({ db }),
    ledger: createLedgerRepository({ db }),
    cursors: createCursorRepository({ db }),
    outbox: createOutboxRepository({ db }),
    outboxDelivery: createOutboxDeliveryRepository({ db }),
    sendBudget: createSendBudgetRepository({ db }),
    decisions: createReviewDecisionsRepository({ db }),
    adminCards: createAdminCardsRepository({ db }),
    audit: createAuditLogRepository({ db }),
    reports: createReportsRepository({ db }),
    alarms: createAlarmsRepository({ db }),
    authHolds: createAuthHoldsRepository({ db }),
    forwarder: createForwarderRepository({ db }),
    notices: createNoticesRepository({ db }),
    webOutbox,
    webDeliveries: createWebDeliveryRepository({ db }),
    shopOrders: createShopOrdersRepository({ db }),
    shopOrderViews: createShopOrderViewsRepository({ db }),
    checkout: createCheckoutRepository({ db }),
    balanceApi: createBalanceApiRepository({ db }),
    idempotencyKeys: createIdempotencyKeysRepository({ db }),
    events: createEventQueue({ webOutbox, enabled: settings.events }),
  };
}

export type Store = ReturnType<typeof createStore>;

/** Runs work in one transaction and hands it the store: what a use case receives instead of the database. */
export type Transaction = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

export function transactionOf(db: Db, settings: StoreSettings = NO_EVENTS): Transaction {
  return (work) => inTransaction(db, work, settings);
}

/** Runs `work` in one transaction; everything it writes commits together or not at all. */
export function inTransaction<T>(
  db: Db,
  work: (store: Store) => Promise<T>,
  settings: StoreSettings = NO_EVENTS,
): Promise<T> {
  return db.transaction((tx) => work(createStore(tx as unknown as Db, settings)));
}

/** The store settings the configuration asks for. */
export function storeSettingsOf(config: Pick<Config, 'merchant'>): StoreSettings {
  return { events: config.merchant.events !== null };
}
