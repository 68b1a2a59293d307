import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInRules,
  notificationRuleSchema,
  notificationRulesSchema,
} from '../src/modules/payments/notification/rules.ts';

const goodRule = {
  id: 'alipay-red-packet',
  provider: 'alipay',
  scope: { senders: ['notify@qq.com', '@alipay.com'], texts: ['com\\.eg\\.android\\.AlipayGphone'] },
  trigger: '收到一个红包',
  exclude: ['^\\[\\d+条\\]'],
  fields: { amount: ['红包 *¥ *{amount}'], payer: '来自(?<value>\\S+)', time: '^{datetime}$' },
  timeZone: '+08:00',
};

function problems(input: unknown): string {
  const result = notificationRulesSchema.safeParse(input);
  if (result.success) throw new Error('expected the rules to be rejected');
  return z.prettifyError(result.error);
}

describe('notification rule validation', () => {
  it('accepts every built-in rule', () => {
    expect(notificationRulesSchema.safeParse(builtInRules).success).toBe(true);
  });

  it('accepts an operator rule and turns single patterns into lists', () => {
    const rule = notificationRuleSchema.parse(goodRule);
    expect(rule.trigger).toEqual(['收到一个红包']);
    expect(rule.fields.payer).toEqual(['来自(?<value>\\S+)']);
  });

  it('names the field and the reason for a broken regular expression', () => {
    const message = problems([{ ...goodRule, fields: { amount: '红包 *¥ *({amount}' } }]);
    expect(message).toContain('not a valid regular expression');
    expect(message).toContain('at [0].fields.amount[0]');
  });

  it('refuses a field pattern that captures nothing', () => {
    const message = problems([{ ...goodRule, fields: { amount: '红包 *¥ *\\d+' } }]);
    expect(message).toContain('must capture the value');
    expect(message).toContain('at [0].fields.amount[0]');
  });

  it('refuses an unknown provider, a missing amount, a bad offset and a bad sender', () => {
    const message = problems([
      {
        ...goodRule,
        provider: 'paypal',
        fields: { payer: '来自{value}' },
        timeZone: 'Asia/Shanghai',
        scope: { senders: ['alipay'] },
      },
    ]);
    expect(message).toContain('at [0].provider');
    expect(message).toContain('at [0].fields.amount');
    expect(message).toContain('must be a UTC offset like +08:00');
    expect(message).toContain('must be an address (pay@qq.com) or an @domain (@alipay.com)');
  });

  it('refuses misspelt keys instead of ignoring them', () => {
    const message = problems([{ ...goodRule, feilds: goodRule.fields }]);
    expect(message).toMatch(/Unrecognized key: "feilds"/);
  });

  it('refuses two rules with the same id', () => {
    expect(problems([goodRule, goodRule])).toContain('duplicate rule id "alipay-red-packet"');
  });
});
