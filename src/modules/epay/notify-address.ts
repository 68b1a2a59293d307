// Whether a shop's notify_url may be called: its host (an IP literal, or every address its name resolves to)
// must be public, unless ALLOW_PRIVATE_NOTIFY=true. A name that does not resolve in time is refused.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { isPrivateAddress } from '../../shared/address-guard.ts';

/** Every address a host name resolves to. */
export type ResolveHost = (host: string) => Promise<string[]>;

const LOOKUP_TIMEOUT_MS = 3_000;

export const systemResolveHost: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

export function createNotifyAddressCheck(options: { allowPrivate: boolean; resolve?: ResolveHost }) {
  const resolve = options.resolve ?? systemResolveHost;
  return async function notifyAddressAllowed(notifyUrl: string): Promise<boolean> {
    if (options.allowPrivate) return true;
    // WHATWG URL has already normalised the host: `0x7f.1` and `2130706433` read as 127.0.0.1.
    const host = new URL(notifyUrl).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) return !isPrivateAddress(host);
    const addresses = await withTimeout(resolve(host), LOOKUP_TIMEOUT_MS).catch(() => []);
    return addresses.length > 0 && addresses.every((address) => !isPrivateAddress(address));
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
