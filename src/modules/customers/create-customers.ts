// The customers module, built once: its repositories and use cases for the service to wire.
import type { Db } from '../../shared/db/database.ts';
import { transactionOf } from '../../shared/db/store.ts';
import { createAdjustBalance } from './adjust-balance.ts';
import { createLanguageChoice } from './choose-language.ts';
import { createCustomersRepository } from './customers.repository.ts';
import { createGetBalance } from './get-balance.ts';
import { createTelegramCustomersRepository } from './telegram-customers.repository.ts';
import { createTelegramUsers } from './telegram-user.ts';

export function createCustomers({ db, onQueued }: { db: Db; onQueued: () => void }) {
  const telegramCustomers = createTelegramCustomersRepository({ db });
  return {
    languages: createLanguageChoice({ customers: telegramCustomers }),
    telegramUsers: createTelegramUsers({ customers: telegramCustomers }),
    getBalance: createGetBalance({ customers: createCustomersRepository({ db }) }),
    adjustBalance: createAdjustBalance({ transaction: transactionOf(db), onQueued }),
  };
}

export type Customers = ReturnType<typeof createCustomers>;
