// The database schema: the single source of truth for drizzle-kit migrations and every query.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { OrderStatus } from '../../modules/orders/order.models.ts';
import type { PaymentStatus } from '../../modules/payments/payment.models.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** The ways a customer reaches us: a Telegram user, or a merchant's API client (issue 12). */
export const CUSTOMER_CHANNELS = ['telegram', 'api'] as const;
export type CustomerChannel = (typeof CUSTOMER_CHANNELS)[number];

/**
 * A customer is identified by (channel, external id): a Telegram user id, an API client's own id. The id is
 * internal; customers from before channels kept their Telegram id as theirs, so every foreign key still holds.
 */
export const customers = pgTable(
  'customers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    channel: text('channel').$type<CustomerChannel>().notNull(),
    externalId: text('external_id').notNull(),
    /** Telegram only: the private chat the bot writes to. */
    chatId: bigint('chat_id', { mode: 'number' }),
    username: text('username'),
    firstName: text('first_name'),
    /** Telegram's language code of the user, kept current on every order. */
    languageCode: text('language_code'),
    /** The language the user chose with /lang (customers and admins alike); null = not chosen. */
    language: text('language').$type<'zh' | 'en'>(),
    balanceFen: bigint('balance_fen', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customers_channel_external_id_key').on(t.channel, t.externalId),
    check('customers_balance_non_negative', sql`${t.balanceFen} >= 0`),
    check('customers_language_valid', sql`${t.language} in ('zh','en')`),
    check('customers_channel_valid', sql`${t.channel} in ('telegram','api')`),
    check('customers_telegram_has_chat', sql`${t.channel} <> 'telegram' or ${t.chatId} is not null`),
  ],
);

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
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('orders_order_no_key').on(t.orderNo),
    // Payable amounts are unique among pending orders: a payment without memo is matched by amount.
    uniqueIndex('orders_pending_payable_key').on(t.payableFen).where(sql`status = 'pending'`),
    // Matching looks up recently closed orders by amount too (for `late`), whatever the table's age.
    index('orders_payable_idx').on(t.payableFen),
    index('orders_customer_idx').on(t.customerId, t.createdAt),
    // The expiry sweep looks only at pending orders past their expiry.
    index('orders_pending_expiry_idx').on(t.expiresAt).where(sql`status = 'pending'`),
    check('orders_status_valid', sql`${t.status} in ('pending','paid','expired','cancelled','refunded')`),
    check('orders_amounts_positive', sql`${t.requestedFen} > 0 and ${t.payableFen} > 0`),
  ],
);

/** Whether a payments row passed authentication: the rows of each side are deduplicated apart. */
const authenticated = sql`(auth_result = 'pass')`;

/** One row per notification message seen in the mailbox, payment or not. */
export const payments = pgTable(
  'payments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mailbox: text('mailbox').notNull(),
    uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    /** Message-ID, or a digest of the raw message when it has none. */
    messageKey: text('message_key').notNull(),
    sender: text('sender'),
    subject: text('subject'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
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
    // Unique among authenticated rows, and apart among the others: a forged mail that carries a genuine
    // Message-ID or transaction id is recorded, but never makes the genuine one a duplicate (SPEC §7).
    uniqueIndex('payments_message_key_by_trust').on(t.messageKey, authenticated),
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

/**
 * A payment held because the key of its aligned DKIM signature could not be looked up (temperror): the raw
 * message waits here for the next try, so the mailbox cursor can move past it. Deleted once decided.
 */
export const authHolds = pgTable(
  'auth_holds',
  {
    paymentId: bigint('payment_id', { mode: 'number' })
      .primaryKey()
      .references(() => payments.id),
    /** The message as fetched, base64: DKIM verifies these exact bytes. */
    raw: text('raw').notNull(),
    /** What the decoder read from the headers (MailIdentity), which the signature must bind. */
    identity: jsonb('identity').notNull(),
    heldSince: timestamp('held_since', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('auth_holds_due_idx').on(t.nextAttemptAt)],
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

/** Where the watcher is in each mailbox; advanced in the same transaction as the message's outcome. */
export const mailboxCursors = pgTable('mailbox_cursors', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const OUTBOX_STATUSES = ['pending', 'sent', 'failed'] as const;

/** Telegram messages to send, written in the same transaction as the change they report. */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    message: jsonb('message').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    lastError: text('last_error'),
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }),
    createdAt: createdAt(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // A claim skips a chat with an earlier message waiting: one probe per message, however long the backlog.
    index('outbox_pending_chat_idx').on(t.chatId, t.id).where(sql`status = 'pending'`),
    check('outbox_status_valid', sql`${t.status} in ('pending','sent','failed')`),
  ],
);

/** Every admin action: who did what to which payment, order or customer, written with the change itself. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorId: bigint('actor_id', { mode: 'number' }).notNull(),
    actorName: text('actor_name'),
    action: text('action').notNull(),
    paymentId: bigint('payment_id', { mode: 'number' }),
    orderId: bigint('order_id', { mode: 'number' }),
    customerId: bigint('customer_id', { mode: 'number' }),
    amountFen: bigint('amount_fen', { mode: 'number' }),
    detail: jsonb('detail'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_created_idx').on(t.createdAt)],
);

/** The review cards shown to admins (one per admin chat and showing), so a decision can edit them all. */
export const adminCards = pgTable(
  'admin_cards',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    paymentId: bigint('payment_id', { mode: 'number' })
      .notNull()
      .references(() => payments.id),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    /** The outbox row that sends the card; its telegram_message_id is the message to edit. */
    outboxId: bigint('outbox_id', { mode: 'number' })
      .notNull()
      .references(() => outbox.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('admin_cards_payment_idx').on(t.paymentId),
    uniqueIndex('admin_cards_outbox_key').on(t.outboxId),
  ],
);

/** Alarm states: an alarm is announced once when it starts and once when it ends. */
export const alarms = pgTable('alarms', {
  name: text('name').primaryKey(),
  active: boolean('active').notNull().default(false),
  since: timestamp('since', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Admin notices of one kind (and subject, e.g. an amount) sent and held back in the current window: past a
 * few a window, a flood of them becomes one summary per window.
 */
export const adminNoticeWindows = pgTable(
  'admin_notice_windows',
  {
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    windowEndsAt: timestamp('window_ends_at', { withTimezone: true }).notNull(),
    sent: integer('sent').notNull(),
    held: integer('held').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.kind, t.subject] }),
    // The summary sweep looks only at windows holding notices back.
    index('admin_notice_windows_held_idx').on(t.windowEndsAt).where(sql`held > 0`),
  ],
);
