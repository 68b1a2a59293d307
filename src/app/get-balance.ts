// Use case: a customer's balance (zero before their first order).

import { createCustomersRepository } from '../adapters/db/customers.repository.ts';
import type { Db } from '../adapters/db/database.ts';

export function createGetBalance({ db }: { db: Db }) {
  const customers = createCustomersRepository({ db });
  return async function getBalance(customerId: number): Promise<number> {
    return (await customers.find(customerId))?.balanceFen ?? 0;
  };
}
