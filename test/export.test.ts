// /export FROM TO end to end: the bot uploads the period's payments and ledger entries as CSV documents
// (UTF-8 with a BOM), refuses periods that are too long or not dates, and defuses spreadsheet formulas.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaTime, forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { alipayCsv } from './support/statements.ts';
import type { SentMessage } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };

describe.each(DATABASE_KINDS)('/export on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const today = () => chinaTime(new Date()).slice(0, 10);
  const sentSince = (index: number) => (m: SentMessage) =>
    m.chatId === ADMIN_ID && stack.telegram.sent.indexOf(m) >= index;
  const csvOf = (m: SentMessage) => {
    const bytes = m.document?.bytes ?? Buffer.alloc(0);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes.toString('utf8').slice(1)) as string[][];
  };

  it('sends the payments and the ledger entries of the period as CSV documents', async () => {
    const user = { id: 73_001, firstName: 'Cu' };
    const { orderNo, payable } = await recharge(stack, user, '15');
    await stack.deliver(forwardedAlipayTransfer({ amount: payable }));
    await stack.telegram.waitFor((m) => m.chatId === user.id && (m.text ?? '').includes('已到账'));
    // A missed transaction whose payer is a spreadsheet formula.
    const statement = alipayCsv(
      [
        {
          time: chinaTime(new Date(Date.now() + 60_000)),
          yuan: '3.21',
          payer: '=HYPERLINK("http://x")',
          transactionId: '2026E0001',
        },
      ],
      { from: `${today()} 00:00:00`, to: `${today()} 23:59:59` },
    );
    const index = stack.telegram.sent.length;
    stack.telegram.sendDocument(admin, { bytes: statement, fileName: 'a.csv' });
    await stack.telegram.waitFor((m) => sentSince(index)(m) && (m.text ?? '').startsWith('🧾'));

    const start = stack.telegram.sent.length;
    stack.telegram.sendText(admin, `/export ${today()} ${today()}`);
    const payments = await stack.telegram.waitFor(
      (m) => sentSince(start)(m) && m.method === 'sendDocument' && (m.caption ?? '').startsWith('付款记录'),
    );
    const ledger = await stack.telegram.waitFor(
      (m) => sentSince(start)(m) && m.method === 'sendDocument' && (m.caption ?? '').startsWith('账本流水'),
    );
    expect(payments.document?.filename).toBe(`payments_${today()}_${today()}.csv`);
    const paymentRows = csvOf(payments);
    expect(paymentRows[0]?.slice(0, 6)).toEqual([
      'id',
      'processed_at',
      'source',
      'received_at',
      'provider',
      'amount_yuan',
    ]);
    const credited = paymentRows.find((row) => row[13] === orderNo);
    expect(credited?.[5]).toBe(payable);
    expect(credited?.[6]).toBe('matched');
    const missed = paymentRows.find((row) => row[10] === '2026E0001');
    expect(missed?.[2]).toBe('statement');
    expect(missed?.[8]).toBe('\'=HYPERLINK("http://x")');
    expect(payments.caption).toContain(`${paymentRows.length - 1} 行`);
    const ledgerRows = csvOf(ledger);
    expect(ledgerRows.find((row) => row[6] === orderNo)?.slice(2, 5)).toEqual([
      String(user.id),
      'credit',
      payable,
    ]);
  });

  it('refuses a period over 366 days and dates that are not dates', async () => {
    for (const [args, answer] of [
      ['2024-01-01 2025-12-31', '最多 366 天'],
      ['2026-02-30 2026-03-01', '用法：/export'],
      ['2026-03-02 2026-03-01', '用法：/export'],
      ['yesterday', '用法：/export'],
    ]) {
      const start = stack.telegram.sent.length;
      stack.telegram.sendText(admin, `/export ${args}`);
      const reply = await stack.telegram.waitFor((m) => sentSince(start)(m) && m.method === 'sendMessage');
      expect(reply.text, args).toContain(answer);
    }
  });
});
