// What admins did and see: the audit log, review cards, alarms and notice windows.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { outbox } from './outbox.ts';
import { payments } from './payments.ts';

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
