// Remembers DNS answers for DKIM key look-ups a few minutes: a burst of notifications signed with one key
// needs one look-up, not one per message. Failures are never remembered; the least recently used answer
// goes first when the cache is full, so mail naming ever new selectors cannot make it grow without bound.

export type DnsResolve = (name: string, rrtype: string) => Promise<unknown>;

export function createCachingResolver(
  resolve: DnsResolve,
  options: { ttlMs: number; maxEntries: number; now?: () => number },
): DnsResolve {
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const answers = new Map<string, { value: unknown; expiresAt: number }>();
  return async (name, rrtype) => {
    const key = `${rrtype} ${name.toLowerCase()}`;
    const cached = answers.get(key);
    answers.delete(key);
    if (cached && cached.expiresAt > now()) {
      answers.set(key, cached);
      return cached.value;
    }
    const value = await resolve(name, rrtype);
    answers.delete(key);
    answers.set(key, { value, expiresAt: now() + options.ttlMs });
    for (const oldest of answers.keys()) {
      if (answers.size <= options.maxEntries) break;
      answers.delete(oldest);
    }
    return value;
  };
}
