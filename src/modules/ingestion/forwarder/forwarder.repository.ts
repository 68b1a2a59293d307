// The forwarder webhook's own rows: signed requests taken (so a replay is known) and refusals by reason.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../../shared/db/database.ts';
import { forwarderRefusals, forwarderRequests } from '../../../shared/db/schema.ts';

export function createForwarderRepository({ db }: { db: Db }) {
  return {
    /** Takes a signed request; throws a unique violation (23505) when its timestamp was taken before. */
    async takeRequest(request: { signedAt: number; bodyDigest: string; receivedAt: Date }): Promise<void> {
      await db.insert(forwarderRequests).values(request);
    },

    /** The body digest of the request taken with this timestamp, or null when none was. */
    async takenDigest(signedAt: number): Promise<string | null> {
      const [row] = await db
        .select({ bodyDigest: forwarderRequests.bodyDigest })
        .from(forwarderRequests)
        .where(eq(forwarderRequests.signedAt, signedAt));
      return row?.bodyDigest ?? null;
    },

    /** Counts one refusal of `reason`. */
    async countRefusal(reason: string, at: Date): Promise<void> {
      await db
        .insert(forwarderRefusals)
        .values({ reason, count: 1, lastAt: at })
        .onConflictDoUpdate({
          target: forwarderRefusals.reason,
          set: { count: sql`${forwarderRefusals.count} + 1`, lastAt: at },
        });
    },

    /** Refusals so far, by reason. */
    async refusalCounts(): Promise<Record<string, number>> {
      const rows = await db.select().from(forwarderRefusals).orderBy(forwarderRefusals.reason);
      return Object.fromEntries(rows.map((row) => [row.reason, Number(row.count)]));
    },
  };
}

export type ForwarderRepository = ReturnType<typeof createForwarderRepository>;
