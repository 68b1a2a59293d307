// The mail-reader thread: reads real mail as the main thread would, cuts off a message that takes too long, and
// reads the next message in a fresh thread.
import { afterAll, describe, expect, it } from 'vitest';
import { startMailReader } from '../src/modules/ingestion/mail/mail-reader.ts';
import { builtInRules, type NotificationRule } from '../src/modules/payments/notification/rules.ts';
import { buildMail } from './support/dkim.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';

/** An operator's rule whose pattern backtracks ~2^28 times on one line: seconds of CPU. */
const slowRule = {
  id: 'operator-slow-rule',
  provider: 'alipay',
  trigger: ['^(a+)+$'],
  fields: { amount: ['{amount}'] },
} as NotificationRule;

describe('mail reader', () => {
  const reader = startMailReader({ rules: [slowRule, ...builtInRules], timeoutMs: 500 });
  afterAll(() => reader.close());

  it('decodes and parses a notification in its thread', async () => {
    const reading = await reader.read(
      Buffer.from(forwardedAlipayTransfer({ amount: '9.99', memo: 'AB12CD' })),
    );
    expect(reading.kind).toBe('read');
    if (reading.kind !== 'read') return;
    expect(reading.parse).toMatchObject({ kind: 'payment', amountFen: 999 });
    expect(reading.mail.from[0]?.address).toBe('notify-forwarder@qq.com');
  });

  it('cuts off a message whose reading runs past the deadline, then reads the next one', async () => {
    const slow = buildMail({
      from: 'a@example.com',
      to: 'b@example.com',
      subject: 's',
      text: `${'a'.repeat(28)}!`,
    });
    expect(await reader.read(Buffer.from(slow))).toEqual({ kind: 'timeout', timeoutMs: 500 });
    const next = await reader.read(Buffer.from(forwardedAlipayTransfer({ amount: '1.00' })));
    expect(next).toMatchObject({ kind: 'read', parse: { kind: 'payment', amountFen: 100 } });
  });
});
