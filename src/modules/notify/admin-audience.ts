// The admins as recipients: who they are and the language each reads, so every admin text is rendered per admin.

import type { Config } from '../../shared/config/config.ts';
import type { Store } from '../../shared/db/store.ts';
import { adminLanguage, adminTextsFor } from './admin-language.ts';
import type { AdminTexts } from './admin-texts.ts';
import type { Language } from './customer-texts.ts';

export interface AdminAudience {
  ids: readonly number[];
  /** ADMIN_LANGUAGE: for admins who have not chosen one with /lang. */
  defaultLanguage: Language;
}

export function adminAudienceOf(config: Config): AdminAudience {
  return { ids: config.telegram.adminIds, defaultLanguage: config.telegram.adminLanguage };
}

/** Each chat of the audience with the texts its admin reads (read in the caller's transaction). */
export async function adminTextsByChat(
  store: Store,
  audience: AdminAudience,
): Promise<Array<{ chatId: number; texts: AdminTexts }>> {
  const chosen = await store.telegramCustomers.languagesOf(audience.ids);
  return audience.ids.map((chatId) => ({
    chatId,
    texts: adminTextsFor(adminLanguage(chosen.get(chatId), audience.defaultLanguage)),
  }));
}

/** Each chat of the audience with the language its admin reads, for catalogues other than AdminTexts. */
export async function adminLanguagesByChat(
  store: Store,
  audience: AdminAudience,
): Promise<Array<{ chatId: number; language: Language }>> {
  const chosen = await store.telegramCustomers.languagesOf(audience.ids);
  return audience.ids.map((chatId) => ({
    chatId,
    language: adminLanguage(chosen.get(chatId), audience.defaultLanguage),
  }));
}
