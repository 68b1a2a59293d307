// The sender's side of the outbox: due messages claimed by lease, then marked sent, retried or given up.
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { outbox } from '../../shared/db/schema.ts';
import type { OutboxMessage } from './outbox-message.ts';

export interface ClaimedMessage {
  id: number;
  chatId: number;
  message: OutboxMessage;
  attempts: number;
}

export function createOutboxDeliveryRepository({ db }: { db: Db }) {
  return {
    claimDue: (now: Date, limit: number, leaseMs: number, only?: readonly number[]) =>
      claimDue(db, now, limit, leaseMs, only),

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
  };
}

/**
 * Claims due messages for `leaseMs`, oldest first, so another sender process skips them.
 * A chat's messages go out in order: a chat with an earlier message still waiting is not claimed.
 * `only`: claim these messages, if they are due, and no others.
 */
async function claimDue(
  db: Db,
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
  return rows.map((row) => ({ ...row, message: row.message as OutboxMessage })).sort((a, b) => a.id - b.id);
}
