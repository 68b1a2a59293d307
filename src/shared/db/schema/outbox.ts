// The outbox of Telegram messages.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

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

/**
 * The bot's Telegram send budget (src/modules/outbox/send-budget.ts), one row shared by every instance: Telegram
 * limits the bot, not each process. The migration inserts the row.
 */
export const sendBudget = pgTable(
  'send_budget',
  {
    id: smallint('id').primaryKey(),
    tokens: doublePrecision('tokens').notNull(),
    /** When `tokens` was last counted, in epoch milliseconds. */
    atMs: bigint('at_ms', { mode: 'number' }).notNull(),
  },
  (t) => [check('send_budget_one_row', sql`${t.id} = 1`)],
);
