// The outbox: Telegram messages queued in the transaction of the change they report, and its state.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { outbox } from '../../shared/db/schema.ts';
import { fitMessage } from '../telegram/telegram-limits.ts';
import type { OutboxItem } from './outbox-message.ts';

export function createOutboxRepository({ db }: { db: Db }) {
  return {
    /** Queues the messages, each fitted to Telegram's limits; returns their outbox ids in the same order. */
    async enqueue(items: readonly OutboxItem[]): Promise<number[]> {
      if (items.length === 0) return [];
      const rows = await db
        .insert(outbox)
        .values(items.map((item) => ({ chatId: item.chatId, message: fitMessage(item.message) })))
        .returning({ id: outbox.id });
      return rows.map((row) => row.id);
    },

    /** Where the message an edit targets stands: its Telegram id once sent. */
    async sentMessageOf(id: number): Promise<{ status: string; telegramMessageId: number | null } | null> {
      const [row] = await db
        .select({ status: outbox.status, telegramMessageId: outbox.telegramMessageId })
        .from(outbox)
        .where(eq(outbox.id, id));
      return row ?? null;
    },

    /** Pending messages, the oldest one's age, and messages given up since `since`. */
    async state(since: Date): Promise<{ pending: number; oldestPendingAt: Date | null; failed: number }> {
      const [row] = await db
        .select({
          pending: sql<number>`(count(*) filter (where ${outbox.status} = 'pending'))::int`,
          oldest: sql<string | null>`min(${outbox.createdAt}) filter (where ${outbox.status} = 'pending')`,
          failed: sql<number>`(count(*) filter (where ${outbox.status} = 'failed' and ${outbox.createdAt} >= ${since.toISOString()}::timestamptz))::int`,
        })
        .from(outbox);
      return {
        pending: row?.pending ?? 0,
        oldestPendingAt: row?.oldest ? new Date(row.oldest) : null,
        failed: row?.failed ?? 0,
      };
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
