import { describe, expect, it } from 'vitest';
import { createCachingResolver } from '../src/modules/ingestion/mail/caching-resolver.ts';

describe('caching DKIM key resolver', () => {
  it('reuses an answer within its time to live, asks again after it, and never remembers a failure', async () => {
    let now = 0;
    let lookups = 0;
    let failing = false;
    const resolve = createCachingResolver(
      async (name) => {
        lookups++;
        if (failing) throw Object.assign(new Error('timeout'), { code: 'ETIMEOUT' });
        return [[`key of ${name} #${lookups}`]];
      },
      { ttlMs: 1000, maxEntries: 10, now: () => now },
    );

    expect(await resolve('s._domainkey.qq.com', 'TXT')).toEqual([['key of s._domainkey.qq.com #1']]);
    now = 999;
    expect(await resolve('S._domainkey.QQ.com', 'TXT')).toEqual([['key of s._domainkey.qq.com #1']]);
    expect(lookups).toBe(1);

    now = 1000;
    failing = true;
    await expect(resolve('s._domainkey.qq.com', 'TXT')).rejects.toThrow('timeout');
    await expect(resolve('s._domainkey.qq.com', 'TXT')).rejects.toThrow('timeout');
    failing = false;
    expect(await resolve('s._domainkey.qq.com', 'TXT')).toEqual([['key of s._domainkey.qq.com #4']]);
    expect(lookups).toBe(4);
  });

  it('holds at most maxEntries answers, dropping the least recently used first', async () => {
    const asked: string[] = [];
    const resolve = createCachingResolver(
      async (name) => {
        asked.push(name);
        return [[`key of ${name}`]];
      },
      { ttlMs: 60_000, maxEntries: 2, now: () => 0 },
    );
    for (const name of ['a.test', 'b.test', 'a.test', 'c.test', 'a.test', 'b.test'])
      await resolve(name, 'TXT');
    // a was used again before c came in, so b was the one dropped.
    expect(asked).toEqual(['a.test', 'b.test', 'c.test', 'b.test']);
  });
});
