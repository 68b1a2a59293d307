// One key per mail message, whichever path records it, and one sender matcher for trust and for rule scopes.
import { describe, expect, it } from 'vitest';
import { mailMessageKey } from '../src/modules/ingestion/mail/message-key.ts';
import { senderCovers } from '../src/modules/payments/notification/sender-pattern.ts';

describe('mailMessageKey', () => {
  const raw = Buffer.from('Subject: x\r\n\r\ny');
  const message = (messageId: string | null, body: Buffer | null = raw) => ({
    raw: body,
    envelope: { messageId, subject: '', from: '' },
    uidValidity: 7n,
    uid: 42,
  });

  it('prefers the decoded Message-ID, then the envelope one, then a digest, then the place in the mailbox', () => {
    expect(mailMessageKey(message('<env@qq.com>'), '<decoded@qq.com>')).toBe('<decoded@qq.com>');
    expect(mailMessageKey(message('<env@qq.com>'))).toBe('<env@qq.com>');
    expect(mailMessageKey(message(null))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(mailMessageKey(message(null, null))).toBe('envelope:7:42');
  });

  it('keys an undecodable message by its envelope Message-ID, as giving it up does', () => {
    // Examining finds no decoded Message-ID; the give-up path has only the envelope: the same key.
    expect(mailMessageKey(message('<same@qq.com>'), null)).toBe(mailMessageKey(message('<same@qq.com>')));
  });

  it('ignores a Message-ID of NUL characters only', () => {
    expect(mailMessageKey(message('\u0000'))).toMatch(/^sha256:/);
  });
});

describe('senderCovers', () => {
  it.each([
    ['pay@qq.com', 'Pay@QQ.com', true],
    ['@alipay.com', 'service@mail.alipay.com', true],
    ['@Alipay.com', 'service@alipay.com', true],
    ['@alipay.com', 'service@alipay.com.evil.com', false],
    ['@alipay.com', 'alipay.com', false],
  ])('%s covers %s: %s', (entry, address, covered) => {
    expect(senderCovers(entry, address)).toBe(covered);
  });
});
