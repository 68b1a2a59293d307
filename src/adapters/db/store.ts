// All repositories over one connection or transaction, so a use case commits its changes together.
import { createAuthHoldsRepository } from './auth-holds.repository.ts';
import { createCursorRepository } from './cursor.repository.ts';
import { createCustomersRepository } from './customers.repository.ts';
import type { Db } from './database.ts';
import { createDecisionsRepository } from './decisions.repository.ts';
import { createLedgerRepository } from './ledger.repository.ts';
import { createNoticesRepository } from './notices.repository.ts';
import { createOrdersRepository } from './orders.repository.ts';
import { createOutboxRepository } from './outbox.repository.ts';
import { createPaymentsRepository } from './payments.repository.ts';
import { createReportsRepository } from './reports.repository.ts';

export function createStore(db: Db) {
  return {
    customers: createCustomersRepository({ db }),
    orders: createOrdersRepository({ db }),
    payments: createPaymentsRepository({ db }),
    ledger: createLedgerRepository({ db }),
    cursors: createCursorRepository({ db }),
    outbox: createOutboxRepository({ db }),
    decisions: createDecisionsRepository({ db }),
    reports: createReportsRepository({ db }),
    authHolds: createAuthHoldsRepository({ db }),
    notices: createNoticesRepository({ db }),
  };
}

export type Store = ReturnType<typeof createStore>;

/** Runs `work` in one transaction; everything it writes commits together or not at all. */
export function inTransaction<T>(db: Db, work: (store: Store) => Promise<T>): Promise<T> {
  return db.transaction((tx) => work(createStore(tx as unknown as Db)));
}
