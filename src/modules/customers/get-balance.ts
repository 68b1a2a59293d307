// Use case: a customer's balance (zero before their first order).

import type { Db } from '../../shared/db/database.ts';
import { createCustomersRepository } from './customers.repository.ts';

export function createGetBalance({ db }: { db: Db }) {
  const customers = createCustomersRepository({ db });
  return async function getBalance(customerId: number): Promise<number> {
    return (await customers.find(customerId))?.balanceFen ?? 0;
  };
}
