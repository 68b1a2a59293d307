// Payments: one row per notification message, recorded once whatever route or retry brings it again.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { type PaymentStatus, payments } from './schema.ts';

export type PaymentRow = typeof payments.$inferSelect;
export type NewPayment = typeof payments.$inferInsert;

export function createPaymentsRepository({ db }: { db: Db }) {
  return {
    /** Records the message; null when the same message or transaction was recorded before. */
    async insertOnce(payment: NewPayment): Promise<PaymentRow | null> {
      const [row] = await db.insert(payments).values(payment).onConflictDoNothing().returning();
      return row ?? null;
    },

    async hasMessage(messageKey: string): Promise<boolean> {
      const [row] = await db
        .select({ id: payments.id })
        .from(payments)
        .where(eq(payments.messageKey, messageKey));
      return row !== undefined;
    },

    /** Another message already told of a notification with the same fingerprint (a forwarder repeat). */
    async hasFingerprint(fingerprint: string, exceptMessageKey: string): Promise<boolean> {
      const [row] = await db
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.fingerprint, fingerprint), ne(payments.messageKey, exceptMessageKey)));
      return row !== undefined;
    },

    async settle(
      id: number,
      outcome: { status: PaymentStatus; orderId?: number | null; reviewReason?: string | null },
    ): Promise<void> {
      await db
        .update(payments)
        .set({
          status: outcome.status,
          orderId: outcome.orderId ?? null,
          reviewReason: outcome.reviewReason ?? null,
        })
        .where(eq(payments.id, id));
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
