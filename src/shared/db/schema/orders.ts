// Orders: what a customer asked to pay, and where it stands.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { OrderStatus } from '../../../modules/orders/order.models.ts';
import type { Provider } from '../../../modules/payments/notification/payment-notification.ts';
import { createdAt } from './columns.ts';
import { customers } from './customers.ts';

export const orders = pgTable(
  'orders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orderNo: text('order_no').notNull(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    requestedFen: integer('requested_fen').notNull(),
    payableFen: integer('payable_fen').notNull(),
    status: text('status').$type<OrderStatus>().notNull().default('pending'),
    /** Which collection code it is paid to (PAYEE_QR_URL_WECHAT set); null = either, as before providers. */
    provider: text('provider').$type<Provider>(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('orders_order_no_key').on(t.orderNo),
    // Payable amounts are unique among a provider's pending orders: a payment without memo is matched by amount.
    uniqueIndex('orders_pending_payable_key')
      .on(sql`coalesce(${t.provider}, 'any')`, t.payableFen)
      .where(sql`status = 'pending'`),
    // Matching looks up recently closed orders by amount too (for `late`), whatever the table's age.
    index('orders_payable_idx').on(t.payableFen),
    index('orders_customer_idx').on(t.customerId, t.createdAt),
    // The expiry sweep looks only at pending orders past their expiry.
    index('orders_pending_expiry_idx').on(t.expiresAt).where(sql`status = 'pending'`),
    check('orders_status_valid', sql`${t.status} in ('pending','paid','expired','cancelled','refunded')`),
    check('orders_provider_valid', sql`${t.provider} in ('alipay','wechat')`),
    check('orders_amounts_positive', sql`${t.requestedFen} > 0 and ${t.payableFen} > 0`),
  ],
);
