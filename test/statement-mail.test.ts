// Statement mails: a statement attached to a mail in the watched mailbox is reconciled like an uploaded one —
// only when it comes from a TRUSTED_SENDERS address with an aligned DKIM signature; the report goes to admins.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './support/admin.ts';
import { chinaTime, FORWARDER } from './support/notifications.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { statementMail, wechatCsv } from './support/statements.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const HOUR = 3_600_000;

describe.each(DATABASE_KINDS)('statement mails on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const mailWith = (from: string, transactionId: string) =>
    statementMail({
      from,
      subject: '微信支付账单明细',
      attachment: {
        fileName: '微信支付账单.csv',
        contentType: 'text/csv',
        bytes: wechatCsv(
          [{ time: chinaTime(new Date(Date.now() + 2 * 60_000)), yuan: '41.00', transactionId }],
          {
            from: chinaTime(new Date(Date.now() - HOUR)),
            to: chinaTime(new Date(Date.now() + HOUR)),
          },
        ),
      },
    });

  it('reconciles an authenticated statement mail from a trusted sender and ignores forged or foreign ones', async () => {
    // Forged (no signature) from the trusted address, and from a stranger: neither may record anything.
    await stack.deliver(mailWith(`Payee <${FORWARDER}>`, '4200M0001'), { signed: false });
    await stack.deliver(mailWith('Stranger <someone@example.com>', '4200M0002'), { signed: false });
    await stack.deliver(mailWith(`Payee <${FORWARDER}>`, '4200M0003'));
    const report = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').startsWith('📧 🧾'),
      20_000,
    );
    expect(report.text).toContain('微信支付对账单');
    expect(report.text).toContain('漏收（监控未收到）：1 笔，¥41.00；本次新记录 1 笔');
    await sleep(500);
    const rows = await stack.rows<{ transaction_id: string }>(
      sql`select p.transaction_id from payments p join messages m on m.id = p.message_id where m.source = 'statement'`,
    );
    expect(rows.map((row) => row.transaction_id)).toEqual(['4200M0003']);
    expect(stack.telegram.sent.filter((m) => (m.text ?? '').startsWith('📧'))).toHaveLength(1);
  });
});
