// Which sender addresses may credit automatically: exact addresses, or `@domain` covering its subdomains.
import { senderCovers } from '../../payments/notification/sender-pattern.ts';

/** The TRUSTED_SENDERS entry that covers `address`, or null. */
export function trustedSenderEntry(address: string, trustedSenders: readonly string[]): string | null {
  return trustedSenders.find((entry) => senderCovers(entry, address)) ?? null;
}

/** The payment providers' own mail domains: mail from them is a provider receipt, not a forwarded notification. */
const PROVIDER_MAIL_DOMAINS = ['@alipay.com', '@tenpay.com'];

/** Whether `address` is a provider's own (a receipt must then be addressed to the payee). */
export function isProviderMail(address: string): boolean {
  return trustedSenderEntry(address, PROVIDER_MAIL_DOMAINS) !== null;
}
