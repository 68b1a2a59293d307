// Payments read from notifications, and the ledger that records every credit and debit.
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
import type { PaymentStatus } from '../../../modules/payments/payment.models.ts';
import { createdAt } from './columns.ts';
import { customers } from './customers.ts';
import { messages } from './messages.ts';
import { orders } from './orders.ts';

/** Whether a payments row passed authentication: the rows of each side are deduplicated apart. */
const authenticated = sql`(auth_result = 'pass')`;

/** One row per notification message seen, payment or not: what it said and what became of it. */
export const payments = pgTable(
  'payments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The message it was read from; its key makes the notification recorded once. */
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
    parseKind: text('parse_kind').notNull(),
    parseRuleId: text('parse_rule_id'),
    provider: text('provider'),
    amountFen: integer('amount_fen'),
    payer: text('payer'),
    memo: text('memo'),
    transactionId: text('transaction_id'),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    fingerprint: text('fingerprint'),
    authResult: text('auth_result').notNull(),
    authDetail: text('auth_detail'),
    status: text('status').$type<PaymentStatus>().notNull(),
    reviewReason: text('review_reason'),
    orderId: bigint('order_id', { mode: 'number' }).references(() => orders.id),
    detail: jsonb('detail'),
    /** The admin (Telegram user id) who settled a payment held for review, and when. */
    decidedBy: bigint('decided_by', { mode: 'number' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [
    // One payment per message.
    uniqueIndex('payments_message_id_key').on(t.messageId),
    // Unique among authenticated rows, and apart among the others: a forged mail that carries a genuine
    // transaction id is recorded, but never makes the genuine one a duplicate (SPEC §7).
    uniqueIndex('payments_provider_transaction_by_trust')
      .on(t.provider, t.transactionId, authenticated)
      .where(sql`transaction_id is not null`),
    // An order is paid by at most one matched payment.
    uniqueIndex('payments_matched_order_key').on(t.orderId).where(sql`status = 'matched'`),
    index('payments_status_idx').on(t.status),
    check(
      'payments_status_valid',
      sql`${t.status} in ('matched','review','ignored','failed','rejected','refunded','held')`,
    ),
  ],
);

export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    customerId: bigint('customer_id', { mode: 'number' })
      .notNull()
      .references(() => customers.id),
    amountFen: bigint('amount_fen', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    paymentId: bigint('payment_id', { mode: 'number' }).references(() => payments.id),
    orderId: bigint('order_id', { mode: 'number' }).references(() => orders.id),
    note: text('note'),
    actor: text('actor'),
    createdAt: createdAt(),
  },
  (t) => [
    // One credit per payment, one per order: a double credit is a constraint violation.
    uniqueIndex('ledger_credit_payment_key').on(t.paymentId).where(sql`kind = 'credit'`),
    uniqueIndex('ledger_credit_order_key').on(t.orderId).where(sql`kind = 'credit'`),
    index('ledger_customer_idx').on(t.customerId),
  ],
);
