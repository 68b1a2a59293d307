// Use case: a customer's latest orders, for `/orders`.
import type { Db } from '../../shared/db/database.ts';
import type { Order } from './order.models.ts';
import { createOrdersRepository } from './orders.repository.ts';

/** How many orders `/orders` shows. */
export const LISTED_ORDERS = 10;

export function createListOrders({ db }: { db: Db }) {
  const orders = createOrdersRepository({ db });
  return function listOrders(customerId: number): Promise<Order[]> {
    return orders.latestOfCustomer(customerId, LISTED_ORDERS);
  };
}

export type ListOrders = ReturnType<typeof createListOrders>;
