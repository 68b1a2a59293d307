// Customers: Telegram users with a balance.
import { eq, sql } from 'drizzle-orm';
import type { Db } from './database.ts';
import { customers } from './schema.ts';

export interface CustomerProfile {
  id: number;
  chatId: number;
  username: string | null;
  firstName: string | null;
  languageCode: string | null;
}

export function createCustomersRepository({ db }: { db: Db }) {
  return {
    /** Creates the customer on first contact, keeps the profile current afterwards. */
    async upsert(profile: CustomerProfile): Promise<void> {
      await db
        .insert(customers)
        .values(profile)
        .onConflictDoUpdate({
          target: customers.id,
          set: {
            chatId: profile.chatId,
            username: profile.username,
            firstName: profile.firstName,
            languageCode: profile.languageCode,
          },
        });
    },

    async find(id: number) {
      const [row] = await db.select().from(customers).where(eq(customers.id, id));
      return row ?? null;
    },

    /** Adds to the balance; returns the customer with the new one. The row lock serialises concurrent credits. */
    async addToBalance(id: number, deltaFen: number) {
      const [row] = await db
        .update(customers)
        .set({ balanceFen: sql`${customers.balanceFen} + ${deltaFen}` })
        .where(eq(customers.id, id))
        .returning();
      if (!row) throw new Error(`customer ${id} not found`);
      return row;
    },
  };
}
