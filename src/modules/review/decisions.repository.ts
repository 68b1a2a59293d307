// Admin decisions: conditional state transitions of payments and orders, review cards, and the audit log.
import { and, asc, eq, getTableColumns, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import {
  adminCards,
  auditLog,
  ledgerEntries,
  messages,
  type OrderStatus,
  orders,
  outbox,
  type PaymentStatus,
  payments,
} from '../../shared/db/schema.ts';

type PaymentRecord = typeof payments.$inferSelect;
/** A payment with its message's arrival time, which dates it when the notification names no time. */
export type PaymentRow = PaymentRecord & { receivedAt: Date | null };
export type AuditEntry = typeof auditLog.$inferInsert;

/** Orders an admin may still credit a payment to: not paid, not refunded. */
const CREDITABLE: OrderStatus[] = ['pending', 'expired', 'cancelled'];

export function createDecisionsRepository({ db }: { db: Db }) {
  return {
    async payment(id: number): Promise<PaymentRow | null> {
      const [row] = await db
        .select({ ...getTableColumns(payments), receivedAt: messages.receivedAt })
        .from(payments)
        .innerJoin(messages, eq(messages.id, payments.messageId))
        .where(eq(payments.id, id));
      return row ?? null;
    },

    async order(id: number) {
      const [row] = await db.select().from(orders).where(eq(orders.id, id));
      return row ?? null;
    },

    /** Settles a payment held for review; succeeds for exactly one caller, however many race for it. */
    async decide(
      id: number,
      to: PaymentStatus,
      by: number,
      at: Date,
      orderId: number | null,
    ): Promise<PaymentRecord | null> {
      const [row] = await db
        .update(payments)
        .set({ status: to, decidedBy: by, decidedAt: at, orderId })
        .where(and(eq(payments.id, id), eq(payments.status, 'review')))
        .returning();
      return row ?? null;
    },

    /** A credited payment whose money goes back: matched → refunded. */
    async markRefunded(id: number, by: number, at: Date): Promise<void> {
      await db
        .update(payments)
        .set({ status: 'refunded', decidedBy: by, decidedAt: at })
        .where(and(eq(payments.id, id), eq(payments.status, 'matched')));
    },

    /** An order an admin credits by hand: pending, expired or cancelled → paid, once. */
    async payOrder(id: number, at: Date) {
      const [row] = await db
        .update(orders)
        .set({ status: 'paid', closedAt: at })
        .where(and(eq(orders.id, id), inArray(orders.status, CREDITABLE)))
        .returning();
      return row ?? null;
    },

    /** paid → refunded, once; closed_at keeps the time it was paid. */
    async refundOrder(id: number) {
      const [row] = await db
        .update(orders)
        .set({ status: 'refunded' })
        .where(and(eq(orders.id, id), eq(orders.status, 'paid')))
        .returning();
      return row ?? null;
    },

    /** Likely orders for a payment no order clearly fits: open or recently closed, near the amount, older than it. */
    async candidates(amountFen: number, paidAt: Date, nearFen: number, limit = 4) {
      const dayBefore = new Date(paidAt.getTime() - 86_400_000);
      // Notification times have whole seconds and phone clocks drift: allow a minute.
      const latestCreated = new Date(paidAt.getTime() + 60_000);
      return db
        .select()
        .from(orders)
        .where(
          and(
            inArray(orders.status, CREDITABLE),
            sql`abs(${orders.payableFen} - ${amountFen}) <= ${nearFen}`,
            sql`${orders.createdAt} <= ${latestCreated.toISOString()}::timestamptz`,
            sql`(${orders.status} = 'pending' or ${orders.expiresAt} >= ${dayBefore.toISOString()}::timestamptz)`,
          ),
        )
        .orderBy(sql`abs(${orders.payableFen} - ${amountFen})`, sql`${orders.createdAt} desc`)
        .limit(limit);
    },

    /** The review queue: its size, and the oldest `limit` payments after payment `afterId`, and how many follow them. */
    async reviewQueue(
      limit: number,
      afterId: number,
    ): Promise<{ total: number; page: PaymentRecord[]; after: number }> {
      const page = await db
        .select()
        .from(payments)
        .where(and(eq(payments.status, 'review'), gt(payments.id, afterId)))
        .orderBy(asc(payments.id))
        .limit(limit);
      const lastId = page.at(-1)?.id ?? afterId;
      const [count] = await db
        .select({
          total: sql<number>`count(*)::int`,
          after: sql<number>`(count(*) filter (where ${payments.id} > ${lastId}))::int`,
        })
        .from(payments)
        .where(eq(payments.status, 'review'));
      return { total: count?.total ?? 0, page, after: count?.after ?? 0 };
    },

    async recordCards(paymentId: number, cards: ReadonlyArray<{ chatId: number; outboxId: number }>) {
      if (cards.length === 0) return;
      await db.insert(adminCards).values(cards.map((card) => ({ paymentId, ...card })));
    },

    /** Every card shown for the payment, with the text it was sent with. */
    async cardsOf(paymentId: number): Promise<Array<{ chatId: number; outboxId: number; text: string }>> {
      const rows = await db
        .select({ chatId: adminCards.chatId, outboxId: adminCards.outboxId, message: outbox.message })
        .from(adminCards)
        .innerJoin(outbox, eq(outbox.id, adminCards.outboxId))
        .where(eq(adminCards.paymentId, paymentId))
        .orderBy(asc(adminCards.id));
      return rows.map((row) => ({
        chatId: row.chatId,
        outboxId: row.outboxId,
        text: (row.message as { text?: string }).text ?? '',
      }));
    },

    /** Whether the Telegram message pressed is one of the payment's cards (not another payment's, not forged). */
    async isCardOf(paymentId: number, chatId: number, telegramMessageId: number): Promise<boolean> {
      const [row] = await db
        .select({ id: adminCards.id })
        .from(adminCards)
        .innerJoin(outbox, eq(outbox.id, adminCards.outboxId))
        .where(
          and(
            eq(adminCards.paymentId, paymentId),
            eq(adminCards.chatId, chatId),
            eq(outbox.telegramMessageId, telegramMessageId),
          ),
        );
      return row !== undefined;
    },

    /** The credit an order received (one at most, by constraint). */
    async creditOf(orderId: number) {
      const [row] = await db
        .select()
        .from(ledgerEntries)
        .where(and(eq(ledgerEntries.orderId, orderId), eq(ledgerEntries.kind, 'credit')));
      return row ?? null;
    },

    async audit(entry: AuditEntry): Promise<void> {
      await db.insert(auditLog).values(entry);
    },
  };
}
