// What several instances share besides the business tables: the Telegram updates taken by webhook, so an
// update delivered twice (a retry, another instance behind the load balancer) is handled once.
import { bigint, pgTable, timestamp } from 'drizzle-orm/pg-core';

/** One row per update taken; `handledAt` null while an instance is handling it. Pruned after a day. */
export const telegramUpdates = pgTable('telegram_updates', {
  updateId: bigint('update_id', { mode: 'number' }).primaryKey(),
  claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull(),
  handledAt: timestamp('handled_at', { withTimezone: true }),
});
