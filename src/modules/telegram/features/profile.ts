// The customer an update comes from, as the customer use cases name them.
import type { Context } from 'telegraf';
import type { CustomerProfile } from '../../customers/telegram-customers.repository.ts';

export function profileOf(ctx: Context): CustomerProfile {
  const from = ctx.from;
  if (!from || !ctx.chat) throw new Error('update without a sender');
  return {
    id: from.id,
    chatId: ctx.chat.id,
    username: from.username ?? null,
    firstName: from.first_name ?? null,
    languageCode: from.language_code ?? null,
  };
}
