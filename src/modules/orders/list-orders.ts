// Use case: a customer's latest orders, for `/orders`.
import type { Order } from './order.models.ts';
import type { OrdersRepository } from './orders.repository.ts';

/** How many orders `/orders` shows. */
export const LISTED_ORDERS = 10;

export function createListOrders({ orders }: { orders: OrdersRepository }) {
  return function listOrders(customerId: number): Promise<Order[]> {
    return orders.latestOfCustomer(customerId, LISTED_ORDERS);
  };
}

export type ListOrders = ReturnType<typeof createListOrders>;
