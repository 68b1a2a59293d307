// The outbox: Telegram messages queued in the transaction of the change they report, claimed by lease.
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { outbox } from '../../shared/db/schema.ts';
import { fitMessage } from '../telegram/telegram-limits.ts';
import type { OutboxItem, OutboxMessage } from './outbox-message.ts';

export interface ClaimedMessage {
  id: number;
  chatId: number;
  message: OutboxMessage;
  attempts: number;
}

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

    /**
     * Claims due messages for `leaseMs`, oldest first, so another sender process skips them.
     * A chat's messages go out in order: a chat with an earlier message still waiting is not claimed.
     * `only`: claim these messages, if they are due, and no others.
     */
    async claimDue(
      now: Date,
      limit: number,
      leaseMs: number,
      only?: readonly number[],
    ): Promise<ClaimedMessage[]> {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const due = db
        .select({ id: outbox.id })
        .from(outbox)
        .where(
          and(
            eq(outbox.status, 'pending'),
            only ? inArray(outbox.id, [...only]) : undefined,
            lte(outbox.nextAttemptAt, now),
            or(isNull(outbox.leaseUntil), lte(outbox.leaseUntil, now)),
            sql`not exists (select 1 from outbox earlier where earlier.chat_id = ${outbox.chatId}
                 and earlier.status = 'pending' and earlier.id < ${outbox.id})`,
          ),
        )
        .orderBy(asc(outbox.id))
        .limit(limit)
        .for('update', { skipLocked: true });
      const rows = await db.update(outbox).set({ leaseUntil }).where(inArray(outbox.id, due)).returning({
        id: outbox.id,
        chatId: outbox.chatId,
        message: outbox.message,
        attempts: outbox.attempts,
      });
      return rows
        .map((row) => ({ ...row, message: row.message as OutboxMessage }))
        .sort((a, b) => a.id - b.id);
    },

    /** Marks messages sent, with the id Telegram gave each, in one statement. */
    async markSent(
      sent: ReadonlyArray<{ id: number; telegramMessageId: number | null }>,
      at: Date,
    ): Promise<void> {
      if (sent.length === 0) return;
      const telegramIds = sql.join(
        sent.map((s) => sql`when ${s.id}::bigint then ${s.telegramMessageId}::bigint`),
        sql` `,
      );
      await db
        .update(outbox)
        .set({
          status: 'sent',
          sentAt: at,
          leaseUntil: null,
          telegramMessageId: sql`case ${outbox.id} ${telegramIds} end`,
          attempts: sql`${outbox.attempts} + 1`,
        })
        .where(
          inArray(
            outbox.id,
            sent.map((s) => s.id),
          ),
        );
    },

    async markRetry(id: number, nextAttemptAt: Date, error: string): Promise<void> {
      await db
        .update(outbox)
        .set({ nextAttemptAt, leaseUntil: null, lastError: error, attempts: sql`${outbox.attempts} + 1` })
        .where(eq(outbox.id, id));
    },

    async markFailed(id: number, error: string): Promise<void> {
      await db
        .update(outbox)
        .set({ status: 'failed', leaseUntil: null, lastError: error, attempts: sql`${outbox.attempts} + 1` })
        .where(eq(outbox.id, id));
    },

    async backlog(): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(outbox)
        .where(eq(outbox.status, 'pending'));
      return row?.n ?? 0;
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
