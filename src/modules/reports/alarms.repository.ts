// The facts the alarms watch, and each alarm's state (so each change is announced once).
import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { alarms, messages, orders, payments } from '../../shared/db/schema.ts';

export function createAlarmsRepository({ db }: { db: Db }) {
  return {
    /** Trusted-sender mail no rule parsed since the last payment notification that parsed. */
    async unparsedSinceLastParse(): Promise<{ count: number; subject: string | null }> {
      const lastParsed = db
        .select({ id: sql`coalesce(max(${payments.id}), 0)` })
        .from(payments)
        .where(eq(payments.parseKind, 'payment'));
      const rows = await db
        .select({ subject: messages.subject })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(
          and(
            eq(payments.parseKind, 'unparsed'),
            eq(payments.status, 'failed'),
            gt(payments.id, sql`(${lastParsed})`),
          ),
        )
        .orderBy(sql`${payments.id} desc`);
      return { count: rows.length, subject: rows[0]?.subject ?? null };
    },

    /**
     * The first unpaid order created after the last payment notification (from `source`, or any source):
     * customers have waited since then.
     */
    waitingSince: (source?: string) => waitingSince(db, source),

    async activeAlarms(): Promise<string[]> {
      const rows = await db.select({ name: alarms.name }).from(alarms).where(eq(alarms.active, true));
      return rows.map((row) => row.name);
    },

    /** Moves an alarm to `active`; true for exactly one caller per change, so each change is announced once. */
    async setAlarm(name: string, active: boolean, at: Date): Promise<boolean> {
      await db.insert(alarms).values({ name, active: false }).onConflictDoNothing();
      const changed = await db
        .update(alarms)
        .set({ active, since: at, updatedAt: at })
        .where(and(eq(alarms.name, name), eq(alarms.active, !active)))
        .returning({ name: alarms.name });
      return changed.length > 0;
    },
  };
}

async function waitingSince(db: Db, source: string | undefined): Promise<Date | null> {
  const lastNotification = db
    .select({ at: sql`coalesce(max(${payments.processedAt}), '-infinity'::timestamptz)` })
    .from(payments)
    .innerJoin(messages, eq(messages.id, payments.messageId))
    .where(
      and(eq(payments.parseKind, 'payment'), source === undefined ? undefined : eq(messages.source, source)),
    );
  const [row] = await db
    .select({ at: sql<string | null>`min(${orders.createdAt})` })
    .from(orders)
    .where(
      and(sql`${orders.status} in ('pending','expired')`, sql`${orders.createdAt} > (${lastNotification})`),
    );
  return row?.at ? new Date(row.at) : null;
}
