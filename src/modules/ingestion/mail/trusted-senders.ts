// Which sender addresses may credit automatically: exact addresses, or `@domain` covering its subdomains.

/** The TRUSTED_SENDERS entry that covers `address`, or null. Entries are lower case. */
export function trustedSenderEntry(address: string, trustedSenders: readonly string[]): string | null {
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0) return null;
  const domain = normalised.slice(at + 1);
  for (const entry of trustedSenders) {
    if (entry.startsWith('@')) {
      const trustedDomain = entry.slice(1);
      if (domain === trustedDomain || domain.endsWith(`.${trustedDomain}`)) return entry;
    } else if (entry === normalised) {
      return entry;
    }
  }
  return null;
}

/** The payment providers' own mail domains: mail from them is a provider receipt, not a forwarded notification. */
const PROVIDER_MAIL_DOMAINS = ['@alipay.com', '@tenpay.com'];

/** Whether `address` is a provider's own (a receipt must then be addressed to the payee). */
export function isProviderMail(address: string): boolean {
  return trustedSenderEntry(address, PROVIDER_MAIL_DOMAINS) !== null;
}
