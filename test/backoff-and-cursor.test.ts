import { describe, expect, it } from 'vitest';
import { hasUidValidityChanged, nextBatch } from '../src/modules/ingestion/mail/imap-cursor.ts';
import { trustedSenderEntry } from '../src/modules/ingestion/mail/trusted-senders.ts';
import { payableCandidates } from '../src/modules/orders/payable-amount.ts';
import { nextDelay } from '../src/shared/backoff.ts';

describe('nextDelay', () => {
  const policy = { baseMs: 1000, maxMs: 60_000 };
  it('doubles per attempt between half and all of the ceiling, and stays under the cap', () => {
    expect(nextDelay(1, policy, 0)).toBe(500);
    expect(nextDelay(1, policy, 0.999)).toBeLessThanOrEqual(1000);
    expect(nextDelay(3, policy, 0)).toBe(2000);
    expect(nextDelay(3, policy, 1)).toBe(4000);
    expect(nextDelay(30, policy, 1)).toBe(60_000);
    expect(nextDelay(30, policy, 0)).toBe(30_000);
  });
});

describe('mailbox cursor', () => {
  it('sees a changed UIDVALIDITY, but not on the first start', () => {
    expect(hasUidValidityChanged(null, 5n)).toBe(false);
    expect(hasUidValidityChanged({ uidValidity: 5n, lastUid: 10 }, 5n)).toBe(false);
    expect(hasUidValidityChanged({ uidValidity: 5n, lastUid: 10 }, 6n)).toBe(true);
  });

  it('fetches only UIDs after the last one, oldest first, in bounded batches', () => {
    // imapflow's `N:*` always includes the newest message, even below N.
    expect(nextBatch([7], 7, 50)).toEqual([]);
    expect(nextBatch([12, 9, 10, 8], 8, 2)).toEqual([9, 10]);
  });
});

describe('payableCandidates', () => {
  it('steps down one fen at a time from the requested amount, never to zero', () => {
    expect(payableCandidates(1000, 3, 'down')).toEqual([1000, 999, 998, 997]);
    expect(payableCandidates(2, 50, 'down')).toEqual([2, 1]);
    expect(payableCandidates(1000, 2, 'up')).toEqual([1000, 1001, 1002]);
    expect(payableCandidates(1000, 0, 'down')).toEqual([1000]);
  });
});

describe('trustedSenderEntry', () => {
  const trusted = ['notify@qq.com', '@alipay.com'];
  it.each([
    ['notify@qq.com', 'notify@qq.com'],
    ['NOTIFY@QQ.COM', 'notify@qq.com'],
    ['service@alipay.com', '@alipay.com'],
    ['service@mail.alipay.com', '@alipay.com'],
  ])('trusts %s through %s', (address, entry) => {
    expect(trustedSenderEntry(address, trusted)).toBe(entry);
  });

  it.each(['other@qq.com', 'service@alipay.com.evil.com', 'service@evilalipay.com', 'alipay.com', ''])(
    'does not trust %j',
    (address) => {
      expect(trustedSenderEntry(address, trusted)).toBeNull();
    },
  );
});
