import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMail } from '../src/adapters/mail/decode-mail.ts';
import { type NotificationParse, parseNotification } from '../src/domain/notification/parse-notification.ts';
import {
  builtInRules,
  type NotificationRule,
  notificationRuleSchema,
} from '../src/domain/notification/rules.ts';

const FIXTURE_DIRS = ['mail', 'mail-variants'].map((name) => join(import.meta.dirname, 'fixtures', name));

async function parseFile(
  path: string,
  rules: readonly NotificationRule[] = builtInRules,
): Promise<NotificationParse> {
  const mail = await decodeMail(readFileSync(path));
  return parseNotification(
    {
      fromAddress: mail.from[0]?.address ?? '',
      subject: mail.subject,
      text: mail.text,
      htmlText: mail.htmlText,
    },
    rules,
  );
}

/** The outcome cut down to the fields the expectation names (`ruleId`, `notificationText` are extra). */
function picked(outcome: NotificationParse, expected: Record<string, unknown>): Record<string, unknown> {
  const record = outcome as Record<string, unknown>;
  return Object.fromEntries(Object.keys(expected).map((key) => [key, record[key]]));
}

describe.each(FIXTURE_DIRS)('golden parses of %s', (dir) => {
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const files = readdirSync(dir).filter((name) => name.endsWith('.eml'));

  it('has an expectation for every sample and a sample for every expectation', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s parses as expected', async (file) => {
    const want = expected[file] ?? {};
    const outcome = await parseFile(join(dir, file));
    expect(picked(outcome, want)).toEqual(want);
    expect(outcome.kind).toBe(want.kind);
  });
});

describe('parseNotification', () => {
  const forwarded = (text: string, subject = 'com.eg.android.AlipayGphone') => ({
    fromAddress: 'notify-forwarder@qq.com',
    subject,
    text,
  });

  it('never takes the daily total for the amount', () => {
    const outcome = parseNotification(
      forwarded('商家服务·收款到账\n今日第3笔收款,共计¥45.00\n收款金额¥15.00\n2026-11-20 13:15:42'),
      builtInRules,
    );
    expect(outcome).toMatchObject({ kind: 'payment', amountFen: 1500 });
  });

  it('reports a received-looking notification with an impossible amount as unparsed, naming the rule', () => {
    const outcome = parseNotification(forwarded('张三通过扫码向你付款10.123元'), builtInRules);
    expect(outcome).toEqual({
      kind: 'unparsed',
      reason: 'rule alipay-scan-pay: "10.123" is not a valid amount',
    });
  });

  it('treats a newsletter that mentions yuan as not a payment', () => {
    const outcome = parseNotification(
      {
        fromAddress: 'news@shop.example',
        subject: '本周精选优惠 50元起',
        text: '本周精选:满100减10元优惠券,限时领取!',
      },
      builtInRules,
    );
    expect(outcome).toEqual({ kind: 'not_payment' });
  });

  it('reads the HTML text when the text part of an alternative says nothing useful', () => {
    const outcome = parseNotification(
      {
        ...forwarded('请使用支持HTML的客户端查看'),
        htmlText: 'com.tencent.mm\n微信支付收款0.30元(朋友到店)',
      },
      builtInRules,
    );
    expect(outcome).toMatchObject({ kind: 'payment', provider: 'wechat', amountFen: 30 });
  });

  it('parses a new notification shape once an operator adds a rule for it, without code changes', () => {
    const mail = forwarded(
      'com.tencent.mm\n你收到一笔赞赏 ¥6.66,来自 小明\n2026-11-21 08:00:00',
      'com.tencent.mm',
    );
    expect(parseNotification(mail, builtInRules).kind).toBe('unparsed');

    const operatorRule = notificationRuleSchema.parse({
      id: 'wechat-appreciation',
      provider: 'wechat',
      scope: { texts: ['com\\.tencent\\.mm'] },
      trigger: '收到一笔赞赏',
      fields: { amount: '赞赏 *¥ *{amount}', payer: '来自 *{value}', time: '^{datetime}$' },
    });
    expect(parseNotification(mail, [operatorRule, ...builtInRules])).toEqual({
      kind: 'payment',
      ruleId: 'wechat-appreciation',
      provider: 'wechat',
      amountFen: 666,
      payer: '小明',
      memo: null,
      transactionId: null,
      time: '2026-11-21T08:00:00+08:00',
      notificationText: '你收到一笔赞赏 ¥6.66,来自 小明',
    });
  });

  it('reads the time in the rule time zone', () => {
    const rule = notificationRuleSchema.parse({
      id: 'utc-test',
      provider: 'alipay',
      trigger: '收款',
      fields: { amount: '收款{amount}元', time: '^{datetime}$' },
      timeZone: '+00:00',
    });
    const outcome = parseNotification(forwarded('收款1元\n2026-11-21 08:00'), [rule]);
    expect(outcome).toMatchObject({ kind: 'payment', amountFen: 100, time: '2026-11-21T08:00:00+00:00' });
  });
});
