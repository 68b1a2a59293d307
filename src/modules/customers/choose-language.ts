// Use case: the language a Telegram user chose with /lang (customers and admins alike), and choosing one.

import { type Language, parseLanguage } from '../notify/customer-texts.ts';
import type { CustomerProfile, TelegramCustomersRepository } from './telegram-customers.repository.ts';

export function createLanguageChoice({ customers }: { customers: TelegramCustomersRepository }) {
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
