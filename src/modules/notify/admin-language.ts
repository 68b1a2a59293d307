// Which catalogue an admin reads: the language they chose with /lang, else ADMIN_LANGUAGE.

import { type AdminTexts, zhAdminTexts } from './admin-texts.ts';
import { enAdminTexts } from './admin-texts-en.ts';
import { type Language, parseLanguage } from './customer-texts.ts';

const catalogues: Record<Language, AdminTexts> = { zh: zhAdminTexts, en: enAdminTexts };

export function adminTextsFor(language: Language): AdminTexts {
  return catalogues[language];
}

export function adminLanguage(chosen: string | null | undefined, defaultLanguage: Language): Language {
  return parseLanguage(chosen) ?? defaultLanguage;
}
