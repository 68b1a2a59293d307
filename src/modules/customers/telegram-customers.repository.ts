// Telegram users as customers: identity (channel 'telegram', their user id), their chat and their profile.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../shared/db/database.ts';
import { customers } from '../../shared/db/schema.ts';

/** What Telegram tells of a user; `id` is their Telegram user id, not the customer's internal id. */
export interface CustomerProfile {
  id: number;
  chatId: number;
  username: string | null;
  firstName: string | null;
  languageCode: string | null;
}

/** A Telegram user's customer: the internal id and the language settings, which the profile does not carry. */
export interface TelegramCustomer {
  id: number;
  language: string | null;
  languageCode: string | null;
}

const isTelegram = eq(customers.channel, 'telegram');
const rowOf = (profile: CustomerProfile) => ({
  channel: 'telegram' as const,
  externalId: String(profile.id),
  chatId: profile.chatId,
  username: profile.username,
  firstName: profile.firstName,
  languageCode: profile.languageCode,
});

export function createTelegramCustomersRepository({ db }: { db: Db }) {
  return {
    /**
     * Finds or creates the users' customers, keeping their profiles current (each once). Keyed by Telegram
     * user id.
     */
    async upsertAll(profiles: readonly CustomerProfile[]): Promise<Map<number, TelegramCustomer>> {
      if (profiles.length === 0) return new Map();
      const rows = await db
        .insert(customers)
        .values(profiles.map(rowOf))
        .onConflictDoUpdate({
          target: [customers.channel, customers.externalId],
          set: {
            chatId: sql`excluded.chat_id`,
            username: sql`excluded.username`,
            firstName: sql`excluded.first_name`,
            languageCode: sql`excluded.language_code`,
          },
        })
        .returning({
          id: customers.id,
          externalId: customers.externalId,
          language: customers.language,
          languageCode: customers.languageCode,
        });
      return new Map(rows.map(({ externalId, ...customer }) => [Number(externalId), customer]));
    },

    /** Stores the language a user chose with /lang, creating their customer on first contact. */
    async setLanguage(profile: CustomerProfile, language: 'zh' | 'en'): Promise<void> {
      await db
        .insert(customers)
        .values({ ...rowOf(profile), language })
        .onConflictDoUpdate({ target: [customers.channel, customers.externalId], set: { language } });
    },

    /** The language each of these users chose with /lang (null: none chosen); users without a row are absent. */
    async languagesOf(userIds: readonly number[]): Promise<Map<number, string | null>> {
      if (userIds.length === 0) return new Map();
      const rows = await db
        .select({ externalId: customers.externalId, language: customers.language })
        .from(customers)
        .where(and(isTelegram, inArray(customers.externalId, userIds.map(String))));
      return new Map(rows.map((row) => [Number(row.externalId), row.language]));
    },

    /** The customer id of a Telegram user; null before their first contact. */
    async idOf(userId: number): Promise<number | null> {
      const [row] = await db
        .select({ id: customers.id })
        .from(customers)
        .where(and(isTelegram, eq(customers.externalId, String(userId))));
      return row?.id ?? null;
    },
  };
}

export type TelegramCustomersRepository = ReturnType<typeof createTelegramCustomersRepository>;
