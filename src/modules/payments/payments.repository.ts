// Payments: one row per notification message, recorded once whatever route or retry brings it again.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { payments } from '../../shared/db/schema.ts';
import type { PaymentStatus } from './payment.models.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;
export interface PaymentSettlement {
  status: PaymentStatus;
  orderId?: number | null;
  reviewReason?: string | null;
}

export function createPaymentsRepository({ db }: { db: Db }) {
  return {
    /**
     * Records the message; null when the same message or transaction was recorded before on the same side
     * of authentication (an unauthenticated row never shadows an authenticated one).
     */
    async insertOnce(payment: NewPayment): Promise<PaymentRow | null> {
      const [row] = await this.insertAll([payment]);
      return row ?? null;
    },

    /**
     * Records the messages in one statement; returns the rows it inserted. A message or transaction
     * recorded before — or earlier in the same list — on the same side of authentication is skipped.
     */
    async insertAll(rows: readonly NewPayment[]): Promise<PaymentRow[]> {
      if (rows.length === 0) return [];
      return db
        .insert(payments)
        .values([...rows])
        .onConflictDoNothing()
        .returning();
    },

    /**
     * The authenticated messages already recorded with any of these fingerprints (to spot a forwarder's
     * repeats); an unauthenticated one never makes a genuine notification a repeat.
     */
    async withFingerprints(
      fingerprints: readonly string[],
    ): Promise<Array<{ fingerprint: string; messageKey: string }>> {
      if (fingerprints.length === 0) return [];
      const rows = await db
        .select({ fingerprint: payments.fingerprint, messageKey: payments.messageKey })
        .from(payments)
        .where(and(inArray(payments.fingerprint, [...fingerprints]), eq(payments.authResult, 'pass')));
      return rows.flatMap((row) =>
        row.fingerprint === null ? [] : [{ fingerprint: row.fingerprint, messageKey: row.messageKey }],
      );
    },

    async settle(id: number, outcome: PaymentSettlement): Promise<void> {
      await this.settleAll([{ id, ...outcome }]);
    },

    /** Settles several payments in one statement. */
    async settleAll(outcomes: ReadonlyArray<{ id: number } & PaymentSettlement>): Promise<void> {
      if (outcomes.length === 0) return;
      const byId = (value: (outcome: (typeof outcomes)[number]) => unknown, type: 'text' | 'bigint') =>
        sql`case ${payments.id} ${sql.join(
          outcomes.map((o) => sql`when ${o.id}::bigint then ${value(o)}::${sql.raw(type)}`),
          sql` `,
        )} end`;
      await db
        .update(payments)
        .set({
          status: byId((o) => o.status, 'text'),
          orderId: byId((o) => o.orderId ?? null, 'bigint'),
          reviewReason: byId((o) => o.reviewReason ?? null, 'text'),
        })
        .where(
          inArray(
            payments.id,
            outcomes.map((o) => o.id),
          ),
        );
    },

    /** Writes the outcome of a later authentication try of a held payment; returns the row as it now is. */
    async setAuthentication(
      id: number,
      auth: { authResult: string; authDetail: string },
    ): Promise<PaymentRow | null> {
      const [row] = await db.update(payments).set(auth).where(eq(payments.id, id)).returning();
      return row ?? null;
    },

    async countByStatus(): Promise<Record<string, number>> {
      const rows = await db
        .select({ status: payments.status, n: sql<number>`count(*)::int` })
        .from(payments)
        .groupBy(payments.status);
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    },

    async findByOrder(orderId: number): Promise<PaymentRow[]> {
      return db.select().from(payments).where(eq(payments.orderId, orderId));
    },
  };
}
