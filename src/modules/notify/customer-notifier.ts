// Tells a customer something, written once: their language, the rendered text, and the way to reach them.
// Telegram customers get an outbox message; other channels (the merchant API) have no push yet: nothing is queued.
import type { Store } from '../../shared/db/store.ts';
import type { Customer } from '../customers/customers.repository.ts';
import type { OutboxItem, OutboxMessage } from '../outbox/outbox-message.ts';
import { customerLanguage, textsFor } from './customer-texts.ts';

export type CustomerTexts = ReturnType<typeof textsFor>;
/** A plain text is sent as an HTML message; anything else (a photo, buttons) is given whole. */
type Notice = string | OutboxMessage;
export type RenderNotice = (texts: CustomerTexts) => Notice | Notice[];
export type Recipient = Pick<Customer, 'channel' | 'chatId' | 'languageCode'> & { language: string | null };

/** The outbox items that tell `customer` what `render` writes in their language; none off Telegram. */
export function customerNotices(customer: Recipient, render: RenderNotice): OutboxItem[] {
  const { chatId } = customer;
  if (customer.channel !== 'telegram' || chatId === null) return [];
  return [render(textsFor(customerLanguage(customer)))].flat().map((notice) => ({
    chatId,
    message: typeof notice === 'string' ? { method: 'sendMessage', text: notice } : notice,
  }));
}

/**
 * Queues the notices for a customer (a row already read, or its id) in the caller's transaction. Returns
 * the outbox ids, empty when nothing was queued (an unknown customer, or a channel without messages).
 */
export async function notifyCustomer(
  store: Store,
  customer: Recipient | number,
  render: RenderNotice,
): Promise<number[]> {
  const recipient = typeof customer === 'number' ? await store.customers.find(customer) : customer;
  return recipient ? store.outbox.enqueue(customerNotices(recipient, render)) : [];
}
