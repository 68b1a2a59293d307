// Operator parsing rules (PARSE_RULES_FILE) and what happens to mail no rule understands, end to end.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadParseRules } from '../src/modules/payments/notification/load-parse-rules.ts';
import { builtInRules } from '../src/modules/payments/notification/rules.ts';
import { buildMail } from './support/dkim.ts';
import { eventually } from './support/eventually.ts';
import { chinaTime, FORWARDER } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, mailboxReady, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const rulesDir = mkdtempSync(join(tmpdir(), 'mailpay-rules-'));
afterAll(() => rmSync(rulesDir, { recursive: true, force: true }));
function rulesFile(name: string, content: unknown): string {
  const path = join(rulesDir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** A shape no built-in rule knows: WeChat appreciation (赞赏) money. */
const APPRECIATION_RULE = {
  id: 'wechat-appreciation',
  provider: 'wechat',
  scope: { texts: ['com\\.tencent\\.mm'] },
  titles: ['微信支付'],
  trigger: '收到一笔赞赏',
  fields: { amount: '赞赏 *¥ *{amount}', payer: '来自 *{value}', time: '^{datetime}$' },
};

const forwarded = (lines: string[], subject = 'com.tencent.mm') =>
  buildMail({
    from: `SmsForwarder <${FORWARDER}>`,
    to: 'pay@example.test',
    subject,
    html: lines.join('<br>'),
  });

describe('loading PARSE_RULES_FILE', () => {
  it('puts the operator rules before the built-in ones', () => {
    const loaded = loadParseRules(rulesFile('ok.json', [APPRECIATION_RULE]));
    expect(loaded.ok && loaded.rules.map((rule) => rule.id)).toEqual([
      'wechat-appreciation',
      ...builtInRules.map((rule) => rule.id),
    ]);
  });

  it.each([
    ['not JSON', '{ nope', /cannot read .* as JSON/],
    [
      'a bad regular expression',
      [{ ...APPRECIATION_RULE, trigger: '收到(' }],
      /\[0\]\.trigger\[0\]: not a valid regular expression/,
    ],
    [
      'an amount pattern that captures nothing',
      [{ ...APPRECIATION_RULE, fields: { amount: '赞赏 ¥\\d+' } }],
      /\[0\]\.fields\.amount\[0\]: must capture the value/,
    ],
    [
      'an unknown provider',
      [{ ...APPRECIATION_RULE, provider: 'paypal' }],
      /\[0\]\.provider: Invalid option/,
    ],
    ['an unknown field', [{ ...APPRECIATION_RULE, colour: 'red' }], /colour/],
    [
      'two rules with one id',
      [APPRECIATION_RULE, APPRECIATION_RULE],
      /duplicate rule id "wechat-appreciation"/,
    ],
    [
      'the id of a built-in rule',
      [{ ...APPRECIATION_RULE, id: 'wechat-shop' }],
      /"wechat-shop" is a built-in rule's id/,
    ],
  ])('rejects a file with %s, naming the problem', (_name, content, problem) => {
    const loaded = loadParseRules(rulesFile(`bad-${Math.random()}.json`, content));
    expect(loaded.ok).toBe(false);
    expect(loaded.ok ? [] : loaded.problems.join('\n')).toMatch(problem);
  });
});

describe.each(DATABASE_KINDS)('mail rules and alerts in the running service on %s', (kind) => {
  let stack: Stack;
  let seq = 0;
  const newCustomer = () => ({ id: 95_000 + ++seq + (kind === 'pglite' ? 500 : 0), firstName: 'Ed' });
  const adminMessages = () => stack.telegram.sent.filter((m) => m.chatId === ADMIN_ID);

  beforeAll(async () => {
    stack = await startStack(kind, {
      PARSE_RULES_FILE: rulesFile(`rules-${kind}.json`, [APPRECIATION_RULE]),
    });
    await stack.startService();
    await mailboxReady(stack);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('credits a notification of a shape that only an operator rule describes', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '66');
    // Notification times have whole seconds: pay in a later second than the order was made, as people do.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await stack.deliver(
      forwarded([
        'com.tencent.mm',
        `你收到一笔赞赏 ¥${payable},来自 小明`,
        '微信支付',
        'UID:7001',
        chinaTime(new Date()),
        'Phone1',
      ]),
    );

    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('✅'),
    );
    expect(credited.text).toContain(orderNo);
    const [payment] = await stack.rows<{ parse_rule_id: string; payer: string }>(
      sql`select parse_rule_id, payer from payments where status = 'matched' order by id desc limit 1`,
    );
    expect(payment).toEqual({ parse_rule_id: 'wechat-appreciation', payer: '小明' });
  });

  it('records a trusted sender’s mail that no rule parses and alerts the admins with its subject and an escaped snippet', async () => {
    const before = adminMessages().length;
    const uid = await stack.deliver(
      forwarded(
        ['com.eg.android.AlipayGphone', '&lt;b&gt;神秘&lt;/b&gt; 你有一笔新的到账 ¥7.77元'],
        '支付宝通知 <新>',
      ),
    );
    const alert = await stack.telegram.waitFor(
      (m) =>
        m.chatId === ADMIN_ID && (m.text ?? '').includes('无法处理') && adminMessages().indexOf(m) >= before,
    );
    expect(alert.text).toContain('主题：支付宝通知 &lt;新&gt;');
    expect(alert.text).toContain('&lt;b&gt;神秘&lt;/b&gt; 你有一笔新的到账 ¥7.77元');
    expect(alert.parseMode).toBe('HTML');
    const [payment] = await stack.rows<{ status: string; parse_kind: string }>(
      sql`select status, parse_kind from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${uid}`,
    );
    expect(payment).toEqual({ status: 'failed', parse_kind: 'unparsed' });
  });

  it('records and ignores non-payment mail from a trusted sender without bothering the admins', async () => {
    const before = adminMessages().length;
    const uid = await stack.deliver(
      forwarded(['com.tencent.mm', '微信支付: 已支付¥20.00', '支付成功 商户: 便利店']),
    );
    const payment = await eventually(async () => {
      const [row] = await stack.rows<{ status: string; parse_kind: string }>(
        sql`select status, parse_kind from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${uid}`,
      );
      return row;
    });
    expect(payment).toEqual({ status: 'ignored', parse_kind: 'not_payment' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(adminMessages()).toHaveLength(before);
  });
});
