// Messages: what a source delivered (a mail today; a forwarder's webhook call later), recorded once by its key.
import { sql } from 'drizzle-orm';
import { bigserial, boolean, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Where a mail message sat when it was read; another source keeps its own facts (a webhook: its request id). */
// A type, not an interface: it must fit the column's `Record<string, unknown>`.
export type MailMetadata = {
  mailbox: string;
  /** A bigint, kept as text: JSON has no integers that large. */
  uidValidity: string;
  uid: number;
};

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The driver that delivered it: 'mail'. */
    source: text('source').notNull(),
    /** Its identity within the source (for mail its Message-ID, or a digest of the raw message). */
    sourceKey: text('source_key').notNull(),
    /** Whether it passed the source's authentication (for mail: an aligned DKIM signature). */
    trusted: boolean('trusted').notNull(),
    /** Who sent it and what it was called, as the source reports them (mail: From and Subject). */
    sender: text('sender'),
    subject: text('subject'),
    /** When the source received it (mail: the server's INTERNALDATE); null when the source cannot say. */
    receivedAt: timestamp('received_at', { withTimezone: true }),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  },
  (t) => [
    // Unique among trusted messages, and apart among the others: a forged mail that carries a genuine
    // Message-ID is recorded, but never makes the genuine one a duplicate (SPEC §7, migration 0003).
    uniqueIndex('messages_source_key_by_trust').on(t.source, t.sourceKey, t.trusted),
  ],
);
