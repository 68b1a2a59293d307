// One message's decode + parse is bounded in wall time (issue 10 point 2, last line of defence): a message that
// makes examination run past MAIL_EXAMINE_TIMEOUT_MS is cut off, recorded as failed and reported, the cursor
// moves past it, and the next payment is credited. The slow examination is real: an operator's rule
// (PARSE_RULES_FILE) whose pattern backtracks exponentially on one line of the mail.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMail } from './support/dkim.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

/** `^(a+)+$` on 28 a's and a '!' backtracks ~2^28 times: seconds of CPU, bounded, so old code finishes too. */
const SLOW_RULE = [
  {
    id: 'operator-slow-rule',
    provider: 'alipay',
    scope: { senders: ['someone@example.com'] },
    trigger: '^(a+)+$',
    fields: { amount: '{amount}' },
  },
];
const SLOW_LINE = `${'a'.repeat(28)}!`;

describe.each(DATABASE_KINDS)('examination deadline on %s', (kind) => {
  let stack: Stack;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailpay-rules-'));
    const rulesFile = join(dir, 'rules.json');
    writeFileSync(rulesFile, JSON.stringify(SLOW_RULE));
    stack = await startStack(kind, { PARSE_RULES_FILE: rulesFile, MAIL_EXAMINE_TIMEOUT_MS: '500' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records a message whose examination runs past the deadline as failed, tells the admins, and credits the next payment', async () => {
    const slow = await stack.deliver(
      buildMail({
        from: 'someone@example.com',
        to: 'pay-inbox@example.com',
        subject: 'hello',
        text: SLOW_LINE,
      }),
      { signed: false },
    );
    const user = { id: 72_001 + (kind === 'pglite' ? 500 : 0), firstName: 'Dee' };
    const { orderNo, payable } = await recharge(stack, user, '12');
    const next = await stack.deliver(forwardedAlipayTransfer({ amount: payable, memo: orderNo }));

    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('✅'));
    const [failed] = await stack.rows<{
      id: number;
      status: string;
      parse_kind: string;
      review_reason: string;
    }>(
      sql`select id, status, parse_kind, review_reason from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${slow}`,
    );
    expect(failed).toMatchObject({
      status: 'failed',
      parse_kind: 'examine_timeout',
      review_reason: 'examination took longer than 0.5 s',
    });
    const alert = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(`邮件 #${failed?.id} 无法处理`),
    );
    expect(alert.text).toContain('examination took longer than 0.5 s');
    // Past both: after a restart neither is fetched again.
    const [cursor] = await stack.rows<{ last_uid: number }>(sql`select last_uid from mailbox_cursors`);
    expect(Number(cursor?.last_uid)).toBeGreaterThanOrEqual(next);
  });
});
