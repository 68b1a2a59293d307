// The forwarder webhook's own records: each signed request seen (replays are refused), and the refusals.
import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One row per signed request taken: its sign is a function of its timestamp alone, so the timestamp is the
 * (timestamp, sign) pair. Written in the transaction that records the notification.
 */
export const forwarderRequests = pgTable('forwarder_requests', {
  signedAt: bigint('signed_at', { mode: 'number' }).primaryKey(),
  /** sha256 of the body as received: the same body again is a retry, another body a replay. */
  bodyDigest: text('body_digest').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/** Refused requests, counted by reason: bounded however many arrive. */
export const forwarderRefusals = pgTable('forwarder_refusals', {
  reason: text('reason').primaryKey(),
  count: bigint('count', { mode: 'number' }).notNull(),
  lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
});
