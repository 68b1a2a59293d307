// Mail authentication (SPEC §7 "Mail trust, exactly"): one trusted From, no parsed header twice, a receipt
// addressed to the payee, and a DKIM signature (mailauth) aligned with the decoded From that binds what is parsed.
import { Resolver } from 'node:dns/promises';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { getAlignment } from 'mailauth/lib/tools.js';
import type { Config } from '../../../shared/config/config.ts';
import { createCachingResolver, type DnsResolve } from './caching-resolver.ts';
import { type DkimResult, judgeSignatures } from './dkim-signatures.ts';
import { isProviderMail, trustedSenderEntry } from './trusted-senders.ts';

export type MailAuthentication =
  | { verdict: 'pass'; detail: string }
  | { verdict: 'fail'; detail: string }
  /** The key of a signature aligned with the trusted From could not be looked up: not forged, not fine. */
  | { verdict: 'temperror'; detail: string };

/** What the decoder read from the headers, which the signature must bind. */
export interface MailIdentity {
  /** Decoded From addresses (an address inside a wholly RFC 2047 encoded From included). */
  from: readonly string[];
  to: readonly string[];
  repeatedHeaders: ReadonlyArray<{ name: string; count: number }>;
}

/** How long a DKIM key look-up is reused. Keys rotate over days; a revoked key stops passing within this. */
const DKIM_KEY_CACHE_MS = 5 * 60_000;
/** Keys remembered at most (least recently used dropped first): a flood of made-up selectors cannot grow it. */
const DKIM_KEY_CACHE_ENTRIES = 500;

export function createMailAuthenticator(options: {
  mode: 'dkim' | 'none';
  trustedSenders: readonly string[];
  /** Where provider receipts must be addressed (PAYEE_ADDRESSES), lower case. */
  payeeAddresses: readonly string[];
  dnsServers: readonly string[] | undefined;
  keyCacheMs?: number;
  /** Per DNS try; tests shorten it. */
  dnsTimeoutMs?: number;
}) {
  const resolver = new Resolver({ timeout: options.dnsTimeoutMs ?? 3000, tries: 2 });
  if (options.dnsServers?.length) resolver.setServers([...options.dnsServers]);
  const resolve = createCachingResolver((name, rrtype) => resolver.resolve(name, rrtype as 'TXT'), {
    ttlMs: options.keyCacheMs ?? DKIM_KEY_CACHE_MS,
    maxEntries: DKIM_KEY_CACHE_ENTRIES,
  });

  /** What refuses the mail before any signature is looked at; null when nothing does. */
  function refusal(identity: MailIdentity): string | null {
    if (identity.from.length !== 1) return `expected one From address, got ${identity.from.length}`;
    const from = identity.from[0] ?? '';
    if (!trustedSenderEntry(from, options.trustedSenders)) return `sender ${from} is not trusted`;
    const [repeated] = identity.repeatedHeaders;
    if (repeated) return `${repeated.name} header is ambiguous (appears ${repeated.count} times)`;
    if (isProviderMail(from) && !identity.to.some((to) => options.payeeAddresses.includes(to))) {
      return `receipt addressed to ${identity.to.join(', ') || 'nobody'}, not to PAYEE_ADDRESSES`;
    }
    return null;
  }

  return async function authenticateMail(raw: Buffer, identity: MailIdentity): Promise<MailAuthentication> {
    const refused = refusal(identity);
    if (refused) return { verdict: 'fail', detail: refused };
    const from = (identity.from[0] ?? '').toLowerCase();
    const entry = trustedSenderEntry(from, options.trustedSenders);
    if (options.mode === 'none')
      return { verdict: 'pass', detail: `trusted sender ${entry}, MAIL_AUTH=none` };

    const fromDomain = from.slice(from.lastIndexOf('@') + 1);
    const verification = (await dkimVerify(raw, { resolver: alignedOnly(resolve, fromDomain) })) as {
      headerFrom?: string[];
      results?: DkimResult[];
    };
    // mailauth finds no address in a wholly encoded From; one it does find must be ours.
    const headerFrom = (verification.headerFrom ?? []).map((address) => address.toLowerCase());
    if (headerFrom.length > 1 || (headerFrom.length === 1 && headerFrom[0] !== from)) {
      return { verdict: 'fail', detail: 'From header is ambiguous' };
    }
    const judged = judgeSignatures(verification.results ?? [], {
      fromDomain,
      mustSign: isProviderMail(from) ? ['from', 'subject', 'to'] : ['from', 'subject'],
    });
    if (judged.verdict === 'pass') return { verdict: 'pass', detail: `${judged.detail} (${entry})` };
    return judged;
  };
}

const KEY_NAME_SEPARATOR = '._domainkey.';

/**
 * Looks up only the keys of signatures that align with the From: no other signature can credit, so a domain
 * whose DNS never answers (named by a forger) costs no time-out, and its look-up cannot fail as temperror.
 * mailauth reads the refusal as "no key" for that signature.
 */
function alignedOnly(resolve: DnsResolve, fromDomain: string): DnsResolve {
  return (name, rrtype) => {
    const at = name.toLowerCase().lastIndexOf(KEY_NAME_SEPARATOR);
    const signingDomain = at < 0 ? '' : name.slice(at + KEY_NAME_SEPARATOR.length);
    if (signingDomain && getAlignment(fromDomain, [signingDomain])) return resolve(name, rrtype);
    return Promise.reject(
      Object.assign(new Error(`${name} not looked up: it does not align with ${fromDomain}`), {
        code: 'ENOTFOUND',
      }),
    );
  };
}

/** The authenticator the configuration asks for; `tuning` shortens time-outs in tests. */
export function mailAuthenticatorFor(mail: Config['mail'], tuning: { dnsTimeoutMs?: number } = {}) {
  return createMailAuthenticator({
    mode: mail.auth,
    trustedSenders: mail.trustedSenders,
    payeeAddresses: mail.payeeAddresses,
    dnsServers: mail.dnsServers,
    ...tuning,
  });
}

export type AuthenticateMail = ReturnType<typeof createMailAuthenticator>;
