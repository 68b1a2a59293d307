// Customers and their balances.
import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/** A customer is a Telegram user; the id is their Telegram user id. */
export const customers = pgTable(
  'customers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey(),
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    username: text('username'),
    firstName: text('first_name'),
    /** Telegram's language code of the user, kept current on every order. */
    languageCode: text('language_code'),
    /** The language the user chose with /lang (customers and admins alike); null = not chosen. */
    language: text('language').$type<'zh' | 'en'>(),
    balanceFen: bigint('balance_fen', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    check('customers_balance_non_negative', sql`${t.balanceFen} >= 0`),
    check('customers_language_valid', sql`${t.language} in ('zh','en')`),
  ],
);
