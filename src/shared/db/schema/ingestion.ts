// Where ingestion stands in the mailbox, and the messages held for another authentication try.
import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { payments } from './payments.ts';

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

/** Where the watcher is in each mailbox; advanced in the same transaction as the message's outcome. */
export const mailboxCursors = pgTable('mailbox_cursors', {
  mailbox: text('mailbox').primaryKey(),
  uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
  lastUid: bigint('last_uid', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
