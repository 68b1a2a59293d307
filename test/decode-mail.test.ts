import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMail, htmlToText } from '../src/modules/ingestion/mail/decode-mail.ts';

const fixture = (dir: string, name: string) => readFileSync(join(import.meta.dirname, 'fixtures', dir, name));

describe('decodeMail', () => {
  it('decodes a GBK HTML receipt into table rows whose cells stay apart', async () => {
    const mail = await decodeMail(fixture('mail', 'alipay-receipt-gbk.eml'));
    expect(mail.subject).toBe('支付宝到账提醒:您已成功收款10.00元');
    expect(mail.htmlText).toContain('收款金额:   ¥10.00\n付款人:    王五');
    expect(mail.text).toBe(mail.htmlText);
    expect(mail.messageId).toBe('<2026112022001456781234567890@mail.alipay.com>');
    expect(mail.date?.toISOString()).toBe('2026-11-20T07:30:12.000Z');
  });

  it('recovers the sender address when the whole From is one encoded word', async () => {
    const mail = await decodeMail(fixture('mail', 'alipay-receipt-utf8-qp.eml'));
    expect(mail.from).toEqual([{ address: 'service@mail.alipay.com', name: '支付宝' }]);
  });

  it('turns <br> into lines and keeps the text part apart from the HTML part', async () => {
    const html = await decodeMail(fixture('mail', 'alipay-fwd-scan.eml'));
    expect(html.htmlText.split('\n')).toEqual([
      'com.eg.android.AlipayGphone',
      '张三通过扫码向你付款10.00元',
      '收款通知',
      'UID:10234',
      '2026-11-20 12:00:00',
      'Phone1',
    ]);
    const alternative = await decodeMail(fixture('mail-variants', 'alipay-receipt-alternative-table.eml'));
    expect(alternative.text).toBe('您的邮件客户端不支持HTML,请使用网页版查看。');
    expect(alternative.htmlText).toMatch(/^收款金额 {2,}¥5,000\.00$/m);
  });

  it('normalises full-width characters, CRLF and runs of blank lines', async () => {
    const mail = await decodeMail(fixture('mail-variants', 'alipay-receipt-qp-fullwidth.eml'));
    expect(mail.subject).toBe('支付宝到账提醒:您已成功收款88.00元');
    expect(mail.text).not.toMatch(/\r|\n{3}|[\uFF01-\uFF5E\u3000]/);
    expect(mail.text).toContain('收款金额: ¥88.00');
  });

  it('gives no date when the Date header is missing or unreadable', async () => {
    const raw = (date: string) =>
      Buffer.from(`From: a@b.example\r\nSubject: x\r\n${date}Content-Type: text/plain\r\n\r\nhello\r\n`);
    expect((await decodeMail(raw(''))).date).toBeNull();
    expect((await decodeMail(raw('Date: not a date\r\n'))).date).toBeNull();
    const empty = await decodeMail(raw(''));
    expect(empty).toMatchObject({ messageId: null, subject: 'x', text: 'hello', htmlText: '' });
  });

  it('does not throw on a body that is not MIME at all', async () => {
    const mail = await decodeMail(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x0a, 0x0a, 0xc3]));
    expect(mail.from).toEqual([]);
    expect(mail.subject).toBe('');
  });
});

describe('htmlToText', () => {
  it('reads a table row by row with separated cells and decodes entities', () => {
    expect(
      htmlToText(
        '<table><tr><td>收款金额</td><td>&yen;5.00</td></tr><tr><td>付款人</td><td>A&amp;B</td></tr></table>',
      ),
    ).toBe('收款金额   ¥5.00\n付款人    A&B');
  });

  it('ends lines at <br>, <p> and <div> and never wraps long lines', () => {
    const long = 'x'.repeat(200);
    expect(htmlToText(`<div>a</div><div>b<br>c</div><p>${long}</p>`)).toBe(`a\nb\nc\n\n${long}`);
  });
});
