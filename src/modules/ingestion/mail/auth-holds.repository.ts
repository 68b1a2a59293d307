// Payments held for another DKIM look-up: the raw message kept until the signature can be checked or time is up.
import { asc, eq, lte } from 'drizzle-orm';
import type { Db } from '../../../shared/db/database.ts';
import { authHolds } from '../../../shared/db/schema.ts';
import type { MailIdentity } from './authenticate-mail.ts';

export interface NewAuthHold {
  paymentId: number;
  raw: Buffer;
  identity: MailIdentity;
  heldSince: Date;
  nextAttemptAt: Date;
}

export interface AuthHold {
  paymentId: number;
  raw: Buffer;
  identity: MailIdentity;
  heldSince: Date;
  attempts: number;
}

export function createAuthHoldsRepository({ db }: { db: Db }) {
  return {
    async insertAll(holds: readonly NewAuthHold[]): Promise<void> {
      if (holds.length === 0) return;
      await db.insert(authHolds).values(
        holds.map((hold) => ({
          ...hold,
          identity: {
            from: hold.identity.from,
            to: hold.identity.to,
            repeatedHeaders: hold.identity.repeatedHeaders,
          },
          raw: hold.raw.toString('base64'),
        })),
      );
    },

    /** Holds whose next try is due at `now`, oldest first. */
    async due(now: Date, limit: number): Promise<AuthHold[]> {
      const rows = await db
        .select()
        .from(authHolds)
        .where(lte(authHolds.nextAttemptAt, now))
        .orderBy(asc(authHolds.nextAttemptAt))
        .limit(limit);
      return rows.map((row) => ({
        paymentId: row.paymentId,
        raw: Buffer.from(row.raw, 'base64'),
        identity: row.identity as MailIdentity,
        heldSince: row.heldSince,
        attempts: row.attempts,
      }));
    },

    /**
     * Takes the hold away, inside the transaction that decides its payment; false when another process (or an
     * earlier try) decided it first — the caller then leaves the payment alone, so it is decided once.
     */
    async claim(paymentId: number): Promise<boolean> {
      const deleted = await db
        .delete(authHolds)
        .where(eq(authHolds.paymentId, paymentId))
        .returning({ paymentId: authHolds.paymentId });
      return deleted.length > 0;
    },

    async postpone(paymentId: number, attempts: number, nextAttemptAt: Date): Promise<void> {
      await db.update(authHolds).set({ attempts, nextAttemptAt }).where(eq(authHolds.paymentId, paymentId));
    },
  };
}
