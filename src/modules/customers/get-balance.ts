// Use case: a customer's balance (zero before their first order).
import type { CustomersRepository } from './customers.repository.ts';

export function createGetBalance({ customers }: { customers: CustomersRepository }) {
  return async function getBalance(customerId: number): Promise<number> {
    return (await customers.find(customerId))?.balanceFen ?? 0;
  };
}
