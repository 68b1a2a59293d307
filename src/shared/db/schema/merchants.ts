// The merchant side: shops' EPay orders, the HTTP outbox that notifies shops and the operator's app, and the
// balance API's idempotency keys.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { customers } from './customers.ts';
import { orders } from './orders.ts';

/** What a shop sent with its order, kept exactly as received: the notify is signed over these strings. */
export const shopOrders = pgTable(
  'shop_orders',
  {
    orderId: bigint('order_id', { mode: 'number' })
      .primaryKey()
      .references(() => orders.id),
    pid: text('pid').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    /** `alipay` | `wxpay` as the shop sent it, or null: the payer chose on the checkout page. */
    type: text('type'),
    name: text('name').notNull(),
    /** `money` as the shop sent it (`10`, `10.00`): the notify repeats it byte for byte. */
    money: text('money').notNull(),
    param: text('param'),
    notifyUrl: text('notify_url').notNull(),
    returnUrl: text('return_url'),
    clientIp: text('client_ip'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('shop_orders_pid_out_trade_no_key').on(t.pid, t.outTradeNo)],
);

export const WEB_DELIVERY_KINDS = ['shop_notify', 'event'] as const;
export type WebDeliveryKind = (typeof WEB_DELIVERY_KINDS)[number];
export const WEB_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebDeliveryStatus = (typeof WEB_DELIVERY_STATUSES)[number];

/**
 * HTTP requests to make, written in the same transaction as the change they report: a shop's notify of a
 * paid order (rendered and signed when sent, from `shop_orders`) or a signed event for EVENTS_WEBHOOK_URL.
 */
export const webDeliveries = pgTable(
  'web_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind').$type<WebDeliveryKind>().notNull(),
    /** shop_notify: the paid order. */
    orderId: bigint('order_id', { mode: 'number' }).references(() => orders.id),
    /** event: its id (`evt_…`), unique, so receivers can dedupe; and its JSON body. */
    eventId: text('event_id'),
    body: jsonb('body'),
    status: text('status').$type<WebDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    index('web_deliveries_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('web_deliveries_order_idx').on(t.orderId),
    uniqueIndex('web_deliveries_event_id_key').on(t.eventId),
    check('web_deliveries_kind_valid', sql`${t.kind} in ('shop_notify','event')`),
    check('web_deliveries_status_valid', sql`${t.status} in ('pending','delivered','failed')`),
  ],
);

/** Every try of a delivery: when, how long, what came back (shown on /find). */
export const webDeliveryAttempts = pgTable(
  'web_delivery_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: bigint('delivery_id', { mode: 'number' })
      .notNull()
      .references(() => webDeliveries.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** The HTTP status, or null when no answer came (time-out, refused connection). */
    httpStatus: integer('http_status'),
    /** `delivered`, or why not: `bad_reply`, `http_error`, `timeout`, `network`, `refused_address`. */
    outcome: text('outcome').notNull(),
    /** A short, sanitised excerpt of the reply or the error. */
    detail: text('detail'),
  },
  (t) => [index('web_delivery_attempts_delivery_idx').on(t.deliveryId, t.at)],
);

/** Balance API requests by their Idempotency-Key: a repeat gets the first answer back. */
export const apiIdempotencyKeys = pgTable('api_idempotency_keys', {
  key: text('key').primaryKey(),
  customerId: bigint('customer_id', { mode: 'number' })
    .notNull()
    .references(() => customers.id),
  /** A digest of the request, so the same key with another request is refused, not answered wrongly. */
  requestHash: text('request_hash').notNull(),
  responseStatus: integer('response_status').notNull(),
  responseBody: jsonb('response_body').notNull(),
  createdAt: createdAt(),
});
