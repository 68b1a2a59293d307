// Admin cards: which Telegram messages show which payment's review card, so a decision edits them all.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { adminCards, outbox } from '../../shared/db/schema.ts';

export function createAdminCardsRepository({ db }: { db: Db }) {
  return {
    async record(paymentId: number, cards: ReadonlyArray<{ chatId: number; outboxId: number }>) {
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
  };
}
