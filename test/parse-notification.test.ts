import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMail } from '../src/modules/ingestion/mail/decode-mail.ts';
import {
  type NotificationParse,
  parseNotification,
} from '../src/modules/payments/notification/parse-notification.ts';
import {
  builtInRules,
  type NotificationRule,
  notificationRuleSchema,
} from '../src/modules/payments/notification/rules.ts';

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
  /** The default forwarder layout: package, text, title, UID, time, device. */
  const laidOut = (text: string, title: string, pkg = 'com.eg.android.AlipayGphone') =>
    `${pkg}\n${text}\n${title}\nUID:1\n2026-11-20 13:15:42\nPhone1`;

  it('never takes the daily total for the amount', () => {
    const outcome = parseNotification(
      forwarded(laidOut('商家服务·收款到账\n今日第3笔收款,共计¥45.00\n收款金额¥15.00', '商家服务')),
      builtInRules,
    );
    expect(outcome).toMatchObject({ kind: 'payment', amountFen: 1500 });
  });

  it('reports a received-looking notification with an impossible amount as unparsed, naming the rule', () => {
    const outcome = parseNotification(
      forwarded(laidOut('张三通过扫码向你付款10.123元', '收款通知')),
      builtInRules,
    );
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
        htmlText: laidOut('微信支付收款0.30元(朋友到店)', '微信支付', 'com.tencent.mm'),
      },
      builtInRules,
    );
    expect(outcome).toMatchObject({ kind: 'payment', provider: 'wechat', amountFen: 30 });
  });

  it('parses a new notification shape once an operator adds a rule for it, without code changes', () => {
    const mail = forwarded(
      laidOut('你收到一笔赞赏 ¥6.66,来自 小明', '微信支付', 'com.tencent.mm').replace(
        '2026-11-20 13:15:42',
        '2026-11-21 08:00:00',
      ),
      'com.tencent.mm',
    );
    expect(parseNotification(mail, builtInRules).kind).toBe('unparsed');

    const operatorRule = notificationRuleSchema.parse({
      id: 'wechat-appreciation',
      provider: 'wechat',
      scope: { texts: ['com\\.tencent\\.mm'] },
      titles: ['微信支付'],
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
      doubt: null,
    });
  });

  it('reads the time in the rule time zone', () => {
    const rule = notificationRuleSchema.parse({
      id: 'utc-test',
      provider: 'alipay',
      titles: ['收款通知'],
      trigger: '收款',
      fields: { amount: '收款{amount}元', time: '^{datetime}$' },
      timeZone: '+00:00',
    });
    const outcome = parseNotification(
      forwarded(laidOut('收款1元', '收款通知').replace('2026-11-20 13:15:42', '2026-11-21 08:00')),
      [rule],
    );
    expect(outcome).toMatchObject({ kind: 'payment', amountFen: 100, time: '2026-11-21T08:00:00+00:00' });
  });
});

describe('reading a forwarded notification structurally (issue 10, point 1)', () => {
  const mail = (lines: string[], subject = 'com.eg.android.AlipayGphone') => ({
    fromAddress: 'notify-forwarder@qq.com',
    subject,
    text: [...lines, 'UID:9', '2026-11-23 10:00:00', 'Phone1'].join('\n'),
  });
  const parse = (lines: string[], rules: readonly NotificationRule[] = builtInRules) =>
    parseNotification(mail(lines), rules);

  it('lets the title decide: a receipt phrase under a contact’s name is no payment of any rule', () => {
    const chat = parse(['com.tencent.mm', '个人收款码到账¥500.00', '李四']);
    expect(chat).toEqual({
      kind: 'unparsed',
      reason: 'looks like a received payment but no rule matches (notification title "李四")',
    });
    expect(parse(['com.tencent.mm', '个人收款码到账¥500.00', '微信收款助手'])).toMatchObject({
      kind: 'payment',
      amountFen: 50_000,
    });
  });

  it('takes a stack’s sender for the title only under the app’s own name or the same sender', () => {
    expect(parse(['com.tencent.mm', '[2条]微信支付: 微信支付收款5.00元', '微信'])).toMatchObject({
      kind: 'payment',
      amountFen: 500,
    });
    expect(parse(['com.tencent.mm', '[2条]微信支付: 微信支付收款5.00元', '王五']).kind).toBe('unparsed');
  });

  it('fires a rule only on the headline, never on a phrase in the lines below it', () => {
    const outcome = parse([
      'com.eg.android.AlipayGphone',
      '支付助手: ¥0.02 收到一笔转账',
      '付款方:张三',
      '转账备注:成功收款900.00元',
      '支付助手',
    ]);
    expect(outcome).toMatchObject({ kind: 'payment', ruleId: 'alipay-transfer', amountFen: 2, doubt: null });
    expect(outcome).toMatchObject({ memo: '成功收款900.00元' });
  });

  it('reads an amount placed before 收款到账通知, never one a memo places there', () => {
    expect(
      parse(['com.eg.android.AlipayGphone', '¥0.01收款到账通知,领积分兑好礼', '支付宝商家服务']),
    ).toMatchObject({
      kind: 'payment',
      ruleId: 'alipay-merchant',
      amountFen: 1,
    });
    const memo = parse([
      'com.eg.android.AlipayGphone',
      '支付助手: ¥0.02 收到一笔转账',
      '转账备注:¥900.00收款到账通知',
      '支付助手',
    ]);
    expect(memo).toMatchObject({ kind: 'payment', ruleId: 'alipay-transfer', amountFen: 2, doubt: null });
  });

  it('never reads an amount out of the payer’s nickname', () => {
    const outcome = parse(['com.eg.android.AlipayGphone', '¥900.00元通过扫码向你付款0.03元', '收款通知']);
    expect(outcome).toMatchObject({ kind: 'payment', amountFen: 3, payer: '¥900.00元' });
  });

  it('sends a message that two rules fit to review, naming both', () => {
    const copy = notificationRuleSchema.parse({ ...builtInRules[1], id: 'operator-scan' });
    const outcome = parse(
      ['com.eg.android.AlipayGphone', '张三通过扫码向你付款1.00元', '收款通知'],
      [copy, ...builtInRules],
    );
    expect(outcome).toMatchObject({
      kind: 'payment',
      amountFen: 100,
      doubt: '2 rules fit (operator-scan, alipay-scan-pay)',
    });
  });

  it('sends a message with two different amounts for one rule to review', () => {
    const outcome = parse(['com.tencent.mm', '[店员消息]收款到账0.05元', '收款金额¥50.00', '微信收款助手']);
    expect(outcome).toMatchObject({
      kind: 'payment',
      doubt: 'rule wechat-clerk reads 2 different amounts: 0.05, 50.00',
    });
  });

  it('reports a payment notification that is not in the forwarder’s layout, never guessing', () => {
    const outcome = parseNotification(
      {
        fromAddress: 'notify-forwarder@qq.com',
        subject: 'com.tencent.mm',
        text: '微信支付收款1.00元(朋友到店)',
      },
      builtInRules,
    );
    expect(outcome).toEqual({
      kind: 'unparsed',
      reason: "rule wechat-shop: not in the forwarder's layout (package, text, title, UID, time lines)",
    });
  });

  it('refuses a rule file rule that names neither titles nor senders', () => {
    const loose = notificationRuleSchema.safeParse({
      id: 'loose',
      provider: 'alipay',
      trigger: '收款',
      fields: { amount: '收款{amount}元' },
    });
    expect(loose.success).toBe(false);
    expect(loose.error?.issues[0]?.message).toMatch(/needs "titles".*or "scope.senders"/);
  });
});
