// The forwarder-repeat fingerprint: a notification is a suspected repeat only when every field repeats.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMail } from '../src/modules/ingestion/mail/decode-mail.ts';
import {
  type PaymentNotification,
  parseNotification,
} from '../src/modules/payments/notification/parse-notification.ts';
import { builtInRules } from '../src/modules/payments/notification/rules.ts';
import { notificationFingerprint } from '../src/modules/payments/notification-fingerprint.ts';

const fixtures = join(import.meta.dirname, 'fixtures');

async function paymentIn(path: string): Promise<PaymentNotification> {
  const mail = await decodeMail(readFileSync(join(fixtures, path)));
  const parse = parseNotification(
    {
      fromAddress: mail.from[0]?.address ?? '',
      subject: mail.subject,
      text: mail.text,
      htmlText: mail.htmlText,
    },
    builtInRules,
  );
  if (parse.kind !== 'payment') throw new Error(`${path}: expected a payment, got ${parse.kind}`);
  return parse;
}

describe('notificationFingerprint', () => {
  it('is the same for a stacked repeat of a notification and the original', async () => {
    const original = parseNotification(
      {
        fromAddress: 'notify-forwarder@qq.com',
        subject: 'com.tencent.mm',
        text: 'com.tencent.mm\n微信支付收款1.01元(朋友到店)\n微信支付\nUID:20002\n2026-11-20 14:05:00\nPhone1',
      },
      builtInRules,
    );
    const stacked = await paymentIn('mail/wechat-fwd-stacked.eml');
    if (original.kind !== 'payment') throw new Error('expected a payment');
    expect(notificationFingerprint(stacked)).toBe(notificationFingerprint(original));
  });

  it('does not depend on the forwarding wrapper around the notification', async () => {
    const direct = await paymentIn('mail/alipay-fwd-scan.eml');
    const wrapped = await paymentIn('mail-variants/alipay-scan-gmail-forward.eml');
    expect(wrapped.notificationText).toBe('钱十通过扫码向你付款9.99元');
    expect(direct.notificationText).toBe('张三通过扫码向你付款10.00元');
  });

  it.each([
    ['amount', { amountFen: 999 }],
    ['notification time', { time: '2026-11-20T12:00:01+08:00' }],
    ['memo', { memo: 'another memo' }],
    ['payer', { payer: '不是同一个人' }],
    ['transaction id', { transactionId: '2026112022001456781234599999' }],
    ['provider', { provider: 'wechat' as const }],
    ['notification text', { notificationText: '张三通过扫码向你付款10.00元 ' }],
  ])('differs when only the %s differs', async (_field, change) => {
    const transfer = await paymentIn('mail/alipay-fwd-transfer-memo.eml');
    expect(notificationFingerprint({ ...transfer, ...change })).not.toBe(notificationFingerprint(transfer));
  });

  it('cannot be matched by moving text from one field into the next', async () => {
    const transfer = await paymentIn('mail/alipay-fwd-transfer-memo.eml');
    const a = { ...transfer, payer: '张|三', memo: 'x' };
    const b = { ...transfer, payer: '张', memo: '三|x' };
    expect(notificationFingerprint(a)).not.toBe(notificationFingerprint(b));
  });
});
