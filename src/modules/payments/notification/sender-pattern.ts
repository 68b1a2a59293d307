// Sender entries as rules and TRUSTED_SENDERS write them: an exact address, or `@domain` for a whole domain.

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
