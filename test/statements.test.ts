// Statements end to end: an admin uploads the payee's statement as a Telegram document (getFile + download,
// as from the real Bot API); the bot answers matched / missed / unconfirmed, records the missed ones for
// review once, raises an alarm for credits the statement does not show, and refuses files it cannot read.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardFor, paymentIdOf } from './support/admin.ts';
import { eventually } from './support/eventually.ts';
import { chinaTime, forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import {
  alipayCsv,
  encryptedXlsx,
  type TestTransaction,
  wechatCsv,
  wechatXlsx,
  zipOf,
} from './support/statements.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };
const HOUR = 3_600_000;

describe.each(DATABASE_KINDS)('statements on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const period = () => ({
    from: chinaTime(new Date(Date.now() - 2 * HOUR)),
    to: chinaTime(new Date(Date.now() + HOUR)),
  });

  /** Uploads the file as the admin (or `from`) and waits for the bot's next answer in that chat. */
  async function upload(bytes: Buffer, fileName: string, from: { id: number; firstName: string } = admin) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendDocument(from, { bytes, fileName, mimeType: 'text/csv' });
    return stack.telegram.waitFor(
      (m) =>
        m.chatId === from.id &&
        m.method === 'sendMessage' &&
        /^(🧾|❌|ℹ️|⛔)/u.test(m.text ?? '') &&
        stack.telegram.sent.indexOf(m) >= before,
      20_000,
    );
  }

  /** A recharge paid through a signed forwarded notification: credited automatically. */
  async function creditedPayment(amountYuan: string, at: Date) {
    const user = { id: 71_000 + ++seq, firstName: 'Cu' };
    const { orderNo, payable } = await recharge(stack, user, amountYuan);
    await stack.deliver(forwardedAlipayTransfer({ amount: payable, at }));
    const [row] = await eventually(async () => {
      const rows = await stack.rows<{ id: number }>(
        sql`select p.id::int as id from payments p join orders o on o.id = p.order_id where o.order_no = ${orderNo} and p.status = 'matched'`,
      );
      return rows.length > 0 ? rows : undefined;
    }, 20_000);
    return { payable, paymentId: row?.id ?? 0 };
  }

  const statementRows = () =>
    stack.rows<{ transaction_id: string; review_reason: string; status: string }>(
      sql`select p.transaction_id, p.review_reason, p.status from payments p join messages m on m.id = p.message_id
          where m.source = 'statement' order by p.id`,
    );
  const paymentCount = async () =>
    (await stack.rows<{ n: number }>(sql`select count(*)::int as n from payments`))[0]?.n;

  it('reconciles an Alipay CSV: matched, missed put to review once, unconfirmed credits raise an alarm', async () => {
    // Paid after the orders were made, as customers pay.
    const paidAt = new Date();
    const seen = await creditedPayment('21', paidAt);
    const forged = await creditedPayment('22', new Date());
    const rows: TestTransaction[] = [
      // 70 s away from the notification's time: within the two minutes.
      {
        time: chinaTime(new Date(paidAt.getTime() + 70_000)),
        yuan: seen.payable,
        transactionId: '2026A0001',
      },
      {
        time: chinaTime(new Date(Date.now() + 3 * 60_000)),
        yuan: '88.88',
        payer: '王五',
        transactionId: '2026A0002',
      },
      {
        time: chinaTime(new Date(Date.now() + 4 * 60_000)),
        yuan: '5.00',
        direction: '支出',
        transactionId: '2026A0003',
      },
      {
        time: chinaTime(new Date(Date.now() + 5 * 60_000)),
        yuan: '7.00',
        status: '交易关闭',
        transactionId: '2026A0004',
      },
      // Received before the monitor recorded anything: it could not have been seen, so it is not "missed".
      { time: chinaTime(new Date(Date.now() - 90 * 60_000)), yuan: '50.00', transactionId: '2026A0005' },
    ];
    const file = alipayCsv(rows, period());
    const reply = await upload(file, '支付宝交易明细.csv');
    expect(stack.telegram.downloads.get('支付宝交易明细.csv')).toBe(1);
    expect(reply.text).toContain('支付宝对账单');
    expect(reply.text).toContain('收入（成功）：2 笔');
    expect(reply.text).toContain(`已核对：1 笔，¥${seen.payable}`);
    expect(reply.text).toContain('漏收（监控未收到）：1 笔，¥88.88；本次新记录 1 笔');
    expect(reply.text).toContain('王五');
    expect(reply.text).toContain(`未确认（已自动入账但账单里没有）：1 笔，¥${forged.payable}`);
    expect(reply.text).toContain(`#${forged.paymentId} `);
    expect(reply.text).toContain('支出/不计收支 1 笔，未成功的收入 1 笔，监控启用前的收入 1 笔');

    const card = await cardFor(stack, ADMIN_ID, '¥88.88');
    expect(card.text).toContain('对账单里有、监控没收到');
    expect(
      card.replyMarkup.inline_keyboard.flat().map((b: { callback_data: string }) => b.callback_data),
    ).toContain(`reject:${paymentIdOf(card)}`);
    const alarm = await stack.telegram.waitFor(
      (m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('可能有伪造'),
    );
    expect(alarm.text).toContain(`#${forged.paymentId} `);
    expect(await statementRows()).toEqual([
      { transaction_id: '2026A0002', review_reason: 'missed_by_monitor', status: 'review' },
    ]);

    const again = await upload(file, '支付宝交易明细.csv');
    expect(again.text).toContain('漏收（监控未收到）：1 笔，¥88.88；本次新记录 0 笔');
    expect(await statementRows()).toHaveLength(1);
  });

  it('lets an admin approve a missed transaction with the card button, crediting the order it names', async () => {
    const user = { id: 71_500, firstName: 'Late' };
    const { orderNo, payable } = await recharge(stack, user, '24');
    const row: TestTransaction = {
      // Paid a little after the order, as customers pay (and clear of the second the monitor's first
      // payment was recorded in: rows before it count as "before monitoring").
      time: chinaTime(new Date(Date.now() + 30_000)),
      yuan: payable,
      memo: `转账备注:${orderNo}`,
      transactionId: '2026D0001',
    };
    await upload(alipayCsv([row], period()), 'missed.csv');
    const card = await cardFor(stack, ADMIN_ID, orderNo);
    const id = paymentIdOf(card);
    stack.telegram.pressButton(admin, card, `approve:${id}`);
    const credited = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes(orderNo) && (m.text ?? '').includes('已到账'),
    );
    expect(credited.text).toContain(`¥${payable}`);
    const [payment] = await stack.rows<{ status: string; decided_by: number }>(
      sql`select status, decided_by::int as decided_by from payments where id = ${id}`,
    );
    expect(payment).toEqual({ status: 'matched', decided_by: ADMIN_ID });
  });

  it('reads WeChat Pay CSV and XLSX, and an overlapping statement adds only what is new', async () => {
    const first: TestTransaction = {
      time: chinaTime(new Date(Date.now() + 6 * 60_000)),
      yuan: '31.00',
      transactionId: '4200W0001',
    };
    const second: TestTransaction = {
      time: chinaTime(new Date(Date.now() + 7 * 60_000)),
      yuan: '32.00',
      transactionId: '4200W0002',
    };
    const refunded: TestTransaction = { ...second, transactionId: '4200W0003', status: '已全额退款' };
    const csvReply = await upload(wechatCsv([first], period()), '微信支付账单.csv');
    expect(csvReply.text).toContain('微信支付对账单');
    expect(csvReply.text).toContain('本次新记录 1 笔');
    const xlsxReply = await upload(
      await wechatXlsx([first, second, refunded], period()),
      '微信支付账单.xlsx',
    );
    expect(xlsxReply.text).toContain('漏收（监控未收到）：2 笔，¥63.00；本次新记录 1 笔');
    expect(xlsxReply.text).toContain('未成功的收入 1 笔');
    const wechat = (await statementRows()).filter((row) => row.transaction_id.startsWith('4200W'));
    expect(wechat.map((row) => row.transaction_id)).toEqual(['4200W0001', '4200W0002']);
  });

  it('answers each file it cannot use clearly and changes nothing', async () => {
    const before = await paymentCount();
    const good = alipayCsv(
      [{ time: chinaTime(new Date()), yuan: '9.99', transactionId: '2026B0001' }],
      period(),
    );
    const cases: Array<[string, Buffer, string]> = [
      ['notes.txt', Buffer.from('just some text\n'), '认不出这个文件'],
      ['cut.csv', good.subarray(0, good.length - 25), '文件不完整或已损坏'],
      ['statement.zip', zipOf('alipay.csv', good), '这是一个压缩包'],
      ['locked.xlsx', encryptedXlsx(), '有密码保护'],
      ['huge.csv', Buffer.concat([good, Buffer.alloc(21 * 1024 * 1024, 0x20)]), '文件超过 20 MB'],
    ];
    for (const [name, bytes, answer] of cases) {
      const reply = await upload(bytes, name);
      expect(reply.text, name).toContain(answer);
    }
    // The size Telegram states is checked first: the big file was never downloaded.
    expect(stack.telegram.downloads.get('huge.csv')).toBeUndefined();
    expect(await paymentCount()).toBe(before);
  });

  it('refuses a statement from anyone but an admin without downloading it', async () => {
    const before = await paymentCount();
    const stranger = { id: 72_001, firstName: 'Mallory' };
    const good = alipayCsv(
      [{ time: chinaTime(new Date()), yuan: '9.98', transactionId: '2026C0001' }],
      period(),
    );
    const reply = await upload(good, 'mallory.csv', stranger);
    expect(reply.text).toContain('只有管理员可以发送对账单');
    expect(stack.telegram.downloads.get('mallory.csv')).toBeUndefined();
    expect(await paymentCount()).toBe(before);
  });
});
