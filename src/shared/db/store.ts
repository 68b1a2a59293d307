// All repositories over one connection or transaction, so a use case commits its changes together.

import { createCheckoutRepository } from '../../modules/checkout/checkout.repository.ts';
import { createCustomersRepository } from '../../modules/customers/customers.repository.ts';
import { createTelegramCustomersRepository } from '../../modules/customers/telegram-customers.repository.ts';
import { createShopOrdersRepository } from '../../modules/epay/shop-orders.repository.ts';
import { createForwarderRepository } from '../../modules/ingestion/forwarder/forwarder.repository.ts';
import { createAuthHoldsRepository } from '../../modules/ingestion/mail/auth-holds.repository.ts';
import { createCursorRepository } from '../../modules/ingestion/mail/cursor.repository.ts';
import { createLedgerRepository } from '../../modules/ledger/ledger.repository.ts';
import { createNoticesRepository } from '../../modules/notify/notices.repository.ts';
import { createOrdersRepository } from '../../modules/orders/orders.repository.ts';
import { createShopOrderViewsRepository } from '../../modules/orders/shop-order-views.repository.ts';
import { createOutboxRepository } from '../../modules/outbox/outbox.repository.ts';
import { createOutboxDeliveryRepository } from '../../modules/outbox/outbox-delivery.repository.ts';
import { createPaymentsRepository } from '../../modules/payments/payments.repository.ts';
import { createAlarmsRepository } from '../../modules/reports/alarms.repository.ts';
import { createReportsRepository } from '../../modules/reports/reports.repository.ts';
import { createAdminCardsRepository } from '../../modules/review/admin-cards.repository.ts';
import { createAuditLogRepository } from '../../modules/review/audit-log.repository.ts';
import { createReviewDecisionsRepository } from '../../modules/review/review-decisions.repository.ts';
import { createWebDeliveryRepository } from '../../modules/web-outbox/web-delivery.repository.ts';
import { createWebOutboxRepository } from '../../modules/web-outbox/web-outbox.repository.ts';
import type { Db } from './database.ts';

export function createStore(db: Db) {
  return {
    customers: createCustomersRepository({ db }),
    telegramCustomers: createTelegramCustomersRepository({ db }),
    orders: createOrdersRepository({ db }),
    payments: createPaymentsRepository({ db }),
    ledger: createLedgerRepository({ db }),
    cursors: createCursorRepository({ db }),
    outbox: createOutboxRepository({ db }),
    outboxDelivery: createOutboxDeliveryRepository({ db }),
    decisions: createReviewDecisionsRepository({ db }),
    adminCards: createAdminCardsRepository({ db }),
    audit: createAuditLogRepository({ db }),
    reports: createReportsRepository({ db }),
    alarms: createAlarmsRepository({ db }),
    authHolds: createAuthHoldsRepository({ db }),
    forwarder: createForwarderRepository({ db }),
    notices: createNoticesRepository({ db }),
    webOutbox: createWebOutboxRepository({ db }),
    webDeliveries: createWebDeliveryRepository({ db }),
    shopOrders: createShopOrdersRepository({ db }),
    shopOrderViews: createShopOrderViewsRepository({ db }),
    checkout: createCheckoutRepository({ db }),
  };
}

export type Store = ReturnType<typeof createStore>;

/** Runs work in one transaction and hands it the store: what a use case receives instead of the database. */
export type Transaction = <T>(work: (store: Store) => Promise<T>) => Promise<T>;

export function transactionOf(db: Db): Transaction {
  return (work) => inTransaction(db, work);
}

/** Runs `work` in one transaction; everything it writes commits together or not at all. */
export function inTransaction<T>(db: Db, work: (store: Store) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(createStore(tx as unknown as Db)));
}
