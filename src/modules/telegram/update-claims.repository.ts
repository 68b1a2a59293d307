// Which Telegram updates an instance has taken: the first to claim an update handles it; a claim left by an
// instance that died mid-update goes stale and may be taken again.
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { telegramUpdates } from '../../shared/db/schema.ts';

export type UpdateClaim = 'claimed' | 'handled' | 'busy';

export function createUpdateClaims({ db }: { db: Db }) {
  return {
    /** `claimed`: this caller handles it; `handled`: done before; `busy`: another instance is at it now. */
    async claim(updateId: number, now: Date, staleBefore: Date): Promise<UpdateClaim> {
      const taken = await db
        .insert(telegramUpdates)
        .values({ updateId, claimedAt: now })
        .onConflictDoUpdate({
          target: telegramUpdates.updateId,
          set: { claimedAt: now },
          setWhere: and(isNull(telegramUpdates.handledAt), lt(telegramUpdates.claimedAt, staleBefore)),
        })
        .returning({ updateId: telegramUpdates.updateId });
      if (taken.length > 0) return 'claimed';
      const [row] = await db
        .select({ handledAt: telegramUpdates.handledAt })
        .from(telegramUpdates)
        .where(eq(telegramUpdates.updateId, updateId));
      return row?.handledAt ? 'handled' : 'busy';
    },

    async handled(updateId: number, now: Date): Promise<void> {
      await db.update(telegramUpdates).set({ handledAt: now }).where(eq(telegramUpdates.updateId, updateId));
    },

    /** Handling failed: Telegram sends the update again, and then it is claimed afresh. */
    async release(updateId: number): Promise<void> {
      await db
        .delete(telegramUpdates)
        .where(and(eq(telegramUpdates.updateId, updateId), isNull(telegramUpdates.handledAt)));
    },

    /** Telegram gives up on an update after a day at most: older rows can go. */
    async prune(before: Date): Promise<void> {
      await db.delete(telegramUpdates).where(lt(telegramUpdates.claimedAt, before));
    },
  };
}

export type UpdateClaims = ReturnType<typeof createUpdateClaims>;
