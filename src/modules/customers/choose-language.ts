// Use case: the language a Telegram user chose with /lang (customers and admins alike), and choosing one.

import type { Db } from '../../shared/db/database.ts';
import { type Language, parseLanguage } from '../notify/customer-texts.ts';
import { type CustomerProfile, createTelegramCustomersRepository } from './telegram-customers.repository.ts';

export function createLanguageChoice(deps: { db: Db }) {
  const customers = createTelegramCustomersRepository({ db: deps.db });
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
