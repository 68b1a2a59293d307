// Use case: the language a Telegram user chose with /lang (customers and admins alike), and choosing one.
import type { CustomerProfile } from '../adapters/db/customers.repository.ts';
import { createCustomersRepository } from '../adapters/db/customers.repository.ts';
import type { Db } from '../adapters/db/database.ts';
import { type Language, parseLanguage } from '../domain/texts.ts';

export function createLanguageChoice(deps: { db: Db }) {
  const customers = createCustomersRepository({ db: deps.db });
  return {
    /** The users' chosen languages (absent or null: none chosen). */
    chosenOf: (userIds: readonly number[]) => customers.languagesOf(userIds),
    async chosen(userId: number): Promise<Language | null> {
      return parseLanguage((await customers.languagesOf([userId])).get(userId));
    },
    choose: (profile: CustomerProfile, language: Language) => customers.setLanguage(profile, language),
  };
}

export type LanguageChoice = ReturnType<typeof createLanguageChoice>;
