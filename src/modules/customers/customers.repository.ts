// Customers: Telegram users with a balance.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers } from '../../shared/db/schema.ts';

export interface CustomerProfile {
  id: number;
  chatId: number;
  username: string | null;
  firstName: string | null;
  languageCode: string | null;
}

export function createCustomersRepository({ db }: { db: Db }) {
  return {
    /**
     * Creates the customers on first contact, keeps their profiles current afterwards (each once). Returns
     * each one's language settings, which the profile from Telegram does not carry.
     */
    async upsertAll(
      profiles: readonly CustomerProfile[],
    ): Promise<Map<number, { language: string | null; languageCode: string | null }>> {
      if (profiles.length === 0) return new Map();
      const rows = await db
        .insert(customers)
        .values([...profiles])
        .onConflictDoUpdate({
          target: customers.id,
          set: {
            chatId: sql`excluded.chat_id`,
            username: sql`excluded.username`,
            firstName: sql`excluded.first_name`,
            languageCode: sql`excluded.language_code`,
          },
        })
        .returning({ id: customers.id, language: customers.language, languageCode: customers.languageCode });
      return new Map(rows.map(({ id, ...settings }) => [id, settings]));
    },

    /** Stores the language a user chose with /lang, creating their row on first contact. */
    async setLanguage(profile: CustomerProfile, language: 'zh' | 'en'): Promise<void> {
      await db
        .insert(customers)
        .values({ ...profile, language })
        .onConflictDoUpdate({ target: customers.id, set: { language } });
    },

    /** The language each of these users chose with /lang (null: none); users without a row are absent. */
    async languagesOf(ids: readonly number[]): Promise<Map<number, string | null>> {
      if (ids.length === 0) return new Map();
      const rows = await db
        .select({ id: customers.id, language: customers.language })
        .from(customers)
        .where(inArray(customers.id, [...ids]));
      return new Map(rows.map((row) => [row.id, row.language]));
    },

    /** Locks the customer's row until the transaction ends: their order changes in other transactions wait. */
    async lock(id: number): Promise<void> {
      await db.select({ id: customers.id }).from(customers).where(eq(customers.id, id)).for('update');
    },

    async find(id: number) {
      const [row] = await db.select().from(customers).where(eq(customers.id, id));
      return row ?? null;
    },

    /** Adds to the balance; returns the customer with the new one. The row lock serialises concurrent credits. */
    async addToBalance(id: number, deltaFen: number) {
      const [row] = await this.addToBalances(new Map([[id, deltaFen]]));
      if (!row) throw new Error(`customer ${id} not found`);
      return row;
    },

    /** `addToBalance` for several customers (id → fen) in one statement; returns them with their new balances. */
    async addToBalances(deltas: ReadonlyMap<number, number>) {
      if (deltas.size === 0) return [];
      const ids = [...deltas.keys()];
      const deltaOf = sql.join(
        [...deltas].map(([id, fen]) => sql`when ${id}::bigint then ${fen}::bigint`),
        sql` `,
      );
      const rows = await db
        .update(customers)
        .set({ balanceFen: sql`${customers.balanceFen} + case ${customers.id} ${deltaOf} end` })
        .where(inArray(customers.id, ids))
        .returning();
      if (rows.length !== ids.length) throw new Error(`customers not found among ${ids.join(', ')}`);
      return rows;
    },
  };
}
