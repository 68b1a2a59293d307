// Every parse of untrusted text runs in time linear in its length: 1 MB of the worst shapes each, decoded and parsed.
import { describe, expect, it } from 'vitest';
import { decodeMail } from '../src/modules/ingestion/mail/decode-mail.ts';
import { parseNotification } from '../src/modules/payments/notification/parse-notification.ts';
import { builtInRules } from '../src/modules/payments/notification/rules.ts';

const MB = 1_000_000;
/** Generous: linear work on 1 MB takes a few hundred milliseconds; the old patterns took minutes to hours. */
const BOUND_MS = 2_000;

function mail(headers: string[], body: string, type = 'text/plain'): Buffer {
  return Buffer.from(
    [
      ...headers,
      'To: pay-inbox@example.com',
      'Message-ID: <linear@example.test>',
      'MIME-Version: 1.0',
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
    ].join('\r\n'),
  );
}

const forwarder = ['From: SmsForwarder <notify-forwarder@qq.com>', 'Subject: com.eg.android.AlipayGphone'];
const repeat = (unit: string, bytes = MB) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));

const SHAPES: Array<[string, Buffer]> = [
  ['a forwarded "From:" line of @ signs', mail(forwarder, `From: ${repeat('@')}`)],
  ['a "发件人:" line of dotted @ runs', mail(forwarder, `发件人: ${repeat('a@b.')}`)],
  [
    'a From display name holding a long encoded non-address',
    mail([`From: =?utf-8?B?${Buffer.from(repeat('a', MB / 2)).toString('base64')}?=`, 'Subject: x'], 'hello'),
  ],
  ['a line of payer labels with no value end', mail(forwarder, repeat('付款方:x'))],
  ['spaces after a trigger phrase', mail(forwarder, `张三向你付款${' '.repeat(MB)}x`)],
  ['a run of yen signs and spaces', mail(forwarder, repeat('¥ '))],
  ['digits after a trigger phrase', mail(forwarder, `向你付款${repeat('1')}`)],
  ['many short lines that each look like a payment', mail(forwarder, repeat('向你付款1元\n'))],
  ['quoting markers without end', mail(forwarder, repeat(' >'))],
  ['deeply nested HTML', mail(forwarder, repeat('<div>'), 'text/html')],
  [
    'a table of a hundred thousand cells',
    mail(forwarder, `<table><tr>${repeat('<td>¥1</td>')}</tr></table>`, 'text/html'),
  ],
];

describe('parsing hostile input in linear time', () => {
  it.each(SHAPES)(
    'decodes and parses 1 MB of %s in well under two seconds',
    async (_name, raw) => {
      const started = performance.now();
      const decoded = await decodeMail(raw);
      const parse = parseNotification(
        {
          fromAddress: decoded.from[0]?.address ?? '',
          subject: decoded.subject,
          text: decoded.text,
          htmlText: decoded.htmlText,
        },
        builtInRules,
      );
      const elapsed = performance.now() - started;
      expect(parse.kind).not.toBe('payment');
      expect(elapsed).toBeLessThan(BOUND_MS);
    },
    20_000,
  );
});
