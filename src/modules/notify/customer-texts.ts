// The customer texts: the language of each customer and its catalogue (customer-texts-zh.ts, the default,
// and customer-texts-en.ts for `en*` users), and the local times the texts show.
import { localParts } from '../../shared/local-time.ts';
import { enCustomerTexts } from './customer-texts-en.ts';
import { type CustomerTexts, zhCustomerTexts } from './customer-texts-zh.ts';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** How each language names itself: the /lang buttons. */
export const LANGUAGE_NAMES: Record<Language, string> = { zh: '中文', en: 'English' };

export function languageOf(telegramLanguageCode: string | null | undefined): Language {
  return telegramLanguageCode?.toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/** `/lang en`, `/lang 中文`, a button's `zh`…; null for anything else. */
export function parseLanguage(text: string | null | undefined): Language | null {
  const word = (text ?? '').trim().toLowerCase();
  if (['zh', 'cn', '中文', 'chinese'].includes(word)) return 'zh';
  if (['en', 'english'].includes(word)) return 'en';
  return null;
}

/** A customer's language: the one chosen with /lang, else what their Telegram app is set to. */
export function customerLanguage(customer: {
  language: string | null;
  languageCode: string | null;
}): Language {
  return parseLanguage(customer.language) ?? languageOf(customer.languageCode);
}

const catalogues: Record<Language, CustomerTexts> = { zh: zhCustomerTexts, en: enCustomerTexts };

export function textsFor(language: Language): CustomerTexts {
  return catalogues[language];
}

const two = (n: number) => String(n).padStart(2, '0');

/** `2026-11-20 12:15` in the given time zone. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const t = localParts(at, timeZone);
  return `${t.year}-${two(t.month)}-${two(t.day)} ${two(t.hour)}:${two(t.minute)}`;
}

/** `2026-11-20 12:15:07` in the given time zone (admin texts show seconds). */
export function formatLocalSeconds(at: Date, timeZone: string): string {
  return `${formatLocalTime(at, timeZone)}:${two(localParts(at, timeZone).second)}`;
}
