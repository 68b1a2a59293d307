// Mail authentication: a valid DKIM signature aligned (relaxed) with a trusted From address, via mailauth.
import { Resolver } from 'node:dns/promises';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { trustedSenderEntry } from '../../domain/trusted-senders.ts';
import { createCachingResolver } from './caching-resolver.ts';

export type MailAuthentication =
  | { verdict: 'pass'; detail: string }
  | { verdict: 'fail'; detail: string }
  /** A DNS failure: neither forged nor fine; the message is tried again later. */
  | { verdict: 'temperror'; detail: string };

/** How long a DKIM key look-up is reused. Keys rotate over days; a revoked key stops passing within this. */
const DKIM_KEY_CACHE_MS = 5 * 60_000;

type DkimResult = {
  signingDomain?: string;
  status?: { result?: string; comment?: string | false; aligned?: string | false };
};

export function createMailAuthenticator(options: {
  mode: 'dkim' | 'none';
  trustedSenders: readonly string[];
  dnsServers: readonly string[] | undefined;
  keyCacheMs?: number;
}) {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (options.dnsServers?.length) resolver.setServers([...options.dnsServers]);
  const resolve = createCachingResolver((name, rrtype) => resolver.resolve(name, rrtype as 'TXT'), {
    ttlMs: options.keyCacheMs ?? DKIM_KEY_CACHE_MS,
  });

  return async function authenticateMail(
    raw: Buffer,
    fromAddresses: readonly string[],
  ): Promise<MailAuthentication> {
    if (fromAddresses.length !== 1)
      return { verdict: 'fail', detail: `expected one From address, got ${fromAddresses.length}` };
    const from = (fromAddresses[0] ?? '').toLowerCase();
    const entry = trustedSenderEntry(from, options.trustedSenders);
    if (!entry) return { verdict: 'fail', detail: `sender ${from} is not trusted` };
    if (options.mode === 'none')
      return { verdict: 'pass', detail: `trusted sender ${entry}, MAIL_AUTH=none` };

    const verification = (await dkimVerify(raw, { resolver: resolve })) as {
      headerFrom?: string[];
      results?: DkimResult[];
    };
    const headerFrom = (verification.headerFrom ?? []).map((address) => address.toLowerCase());
    if (headerFrom.length !== 1 || headerFrom[0] !== from) {
      return { verdict: 'fail', detail: 'From header is ambiguous' };
    }
    const results = verification.results ?? [];
    const aligned = results.find((r) => r.status?.result === 'pass' && r.status.aligned);
    if (aligned) return { verdict: 'pass', detail: `dkim=pass d=${aligned.signingDomain} (${entry})` };
    const summary = results.map(
      (r) =>
        `d=${r.signingDomain ?? '?'} ${r.status?.result}${r.status?.comment ? ` (${r.status.comment})` : ''}`,
    );
    if (results.some((r) => r.status?.result === 'temperror')) {
      return { verdict: 'temperror', detail: summary.join('; ') };
    }
    return {
      verdict: 'fail',
      detail: summary.length
        ? `no aligned passing DKIM signature: ${summary.join('; ')}`
        : 'no DKIM signature',
    };
  };
}

export type AuthenticateMail = ReturnType<typeof createMailAuthenticator>;
