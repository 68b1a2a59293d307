// Remembers DNS answers for DKIM key look-ups a few minutes: a burst of notifications signed with one key
// needs one look-up, not one per message. Failures are never remembered.

export type DnsResolve = (name: string, rrtype: string) => Promise<unknown>;

export function createCachingResolver(
  resolve: DnsResolve,
  options: { ttlMs: number; now?: () => number },
): DnsResolve {
  const now = options.now ?? Date.now;
  const answers = new Map<string, { value: unknown; expiresAt: number }>();
  return async (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const cached = answers.get(key);
    if (cached && cached.expiresAt > now()) return cached.value;
    const value = await resolve(name, rrtype);
    answers.set(key, { value, expiresAt: now() + options.ttlMs });
    return value;
  };
}
