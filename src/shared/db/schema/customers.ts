// Customers and their balances.
import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type { CustomerChannel } from '../../../modules/customers/customer.models.ts';
import { createdAt } from './columns.ts';

/**
 * A customer is identified by (channel, external id): a Telegram user id, an API client's own id. The id is
 * internal; customers from before channels kept their Telegram id as theirs, so every foreign key still holds.
 */
export const customers = pgTable(
  'customers',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    channel: text('channel').$type<CustomerChannel>().notNull(),
    externalId: text('external_id').notNull(),
    /** Telegram only: the private chat the bot writes to. */
    chatId: bigint('chat_id', { mode: 'number' }),
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
    uniqueIndex('customers_channel_external_id_key').on(t.channel, t.externalId),
    check('customers_balance_non_negative', sql`${t.balanceFen} >= 0`),
    check('customers_language_valid', sql`${t.language} in ('zh','en')`),
    check('customers_channel_valid', sql`${t.channel} in ('telegram','api','shop')`),
    check('customers_telegram_has_chat', sql`${t.channel} <> 'telegram' or ${t.chatId} is not null`),
  ],
);
