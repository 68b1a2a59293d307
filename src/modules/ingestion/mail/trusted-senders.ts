// Which sender addresses may credit automatically: exact addresses, or `@domain` covering its subdomains.

/**
 * Whether a sender entry covers `address`: the same address, or for `@domain` any address at the domain or
 * its subdomains. The one sender matcher: TRUSTED_SENDERS and the rules' `scope.senders` both use it.
 */
export function senderCovers(entry: string, address: string): boolean {
  const normalised = address.trim().toLowerCase();
  const at = normalised.lastIndexOf('@');
  if (at <= 0) return false;
  const wanted = entry.toLowerCase();
  if (!wanted.startsWith('@')) return wanted === normalised;
  const domain = normalised.slice(at + 1);
  return domain === wanted.slice(1) || domain.endsWith(`.${wanted.slice(1)}`);
}

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
