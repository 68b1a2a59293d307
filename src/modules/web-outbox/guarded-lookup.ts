// The SSRF guard at connection time: the notify host is resolved when the request is made and every address
// it resolves to is checked, so a name that points at the service's own network is refused — also one that
// changed since the shop sent it (the check is on the addresses the socket connects to, not an earlier look-up).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../../shared/address-guard.ts';

export const REFUSED_ADDRESS = 'ERR_MAILPAY_REFUSED_ADDRESS';

export class RefusedAddressError extends Error {
  readonly code = REFUSED_ADDRESS;
  constructor(readonly address: string) {
    super(`refused private address ${address}`);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for http.request that fails with RefusedAddressError when any address is private. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => isPrivateAddress(entry.address));
    if (refused) return callback(new RefusedAddressError(refused.address), []);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
    if (options.all) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
}

/** An IP literal host (never looked up, so checked here) that is private; null when it is a name or public. */
export function refusedLiteral(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) !== 0 && isPrivateAddress(bare) ? bare : null;
}
