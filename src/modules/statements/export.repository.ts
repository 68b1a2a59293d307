// What /export reads: the payments recorded and the ledger entries written in a period, oldest first.
import { and, count, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers, ledgerEntries, messages, orders, payments } from '../../shared/db/schema.ts';

export function createExportRepository({ db }: { db: Db }) {
  const paymentsWithin = (from: Date, to: Date) =>
    and(gte(payments.processedAt, from), lt(payments.processedAt, to));
  const ledgerWithin = (from: Date, to: Date) =>
    and(gte(ledgerEntries.createdAt, from), lt(ledgerEntries.createdAt, to));
  return {
    async counts(from: Date, to: Date): Promise<{ payments: number; ledger: number }> {
      const [p] = await db.select({ n: count() }).from(payments).where(paymentsWithin(from, to));
      const [l] = await db.select({ n: count() }).from(ledgerEntries).where(ledgerWithin(from, to));
      return { payments: Number(p?.n ?? 0), ledger: Number(l?.n ?? 0) };
    },
    payments: (from: Date, to: Date) =>
      db
        .select({
          id: payments.id,
          processedAt: payments.processedAt,
          source: messages.source,
          receivedAt: messages.receivedAt,
          provider: payments.provider,
          amountFen: payments.amountFen,
          status: payments.status,
          reviewReason: payments.reviewReason,
          payer: payments.payer,
          memo: payments.memo,
          transactionId: payments.transactionId,
          notifiedAt: payments.notifiedAt,
          authResult: payments.authResult,
          orderNo: orders.orderNo,
          decidedBy: payments.decidedBy,
          decidedAt: payments.decidedAt,
        })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .leftJoin(orders, eq(orders.id, payments.orderId))
        .where(paymentsWithin(from, to))
        .orderBy(payments.id),
    ledger: (from: Date, to: Date) =>
      db
        .select({
          id: ledgerEntries.id,
          createdAt: ledgerEntries.createdAt,
          customerId: customers.id,
          channel: customers.channel,
          externalId: customers.externalId,
          kind: ledgerEntries.kind,
          amountFen: ledgerEntries.amountFen,
          paymentId: ledgerEntries.paymentId,
          orderNo: orders.orderNo,
          note: ledgerEntries.note,
          actor: ledgerEntries.actor,
        })
        .from(ledgerEntries)
        .innerJoin(customers, eq(customers.id, ledgerEntries.customerId))
        .leftJoin(orders, eq(orders.id, ledgerEntries.orderId))
        .where(ledgerWithin(from, to))
        .orderBy(ledgerEntries.id),
  };
}
