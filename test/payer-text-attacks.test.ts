// Issue 10, point 1: genuinely signed forwarder mail whose payer-written text (a chat, a memo, a nickname)
// holds a receipt phrase must never credit the amount in that text.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
import type { Config } from '../src/shared/config/config.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';
import { incoming, ingestConfig, ingestFor } from './support/ingest.ts';
import { ALIPAY_PACKAGE, forwardedNotification, WECHAT_PACKAGE } from './support/notifications.ts';
import { insertPendingOrders, ledgerByOrder } from './support/orders.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('payer-written text on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;
  let dns: DnsResponder;
  let config: Config;
  const key = createDkimKey('qq.com', 'mailpay');
  let orderSeq = 0;

  beforeAll(async () => {
    [testDb, dns] = await Promise.all([createTestDatabase(kind), startDnsResponder()]);
    dns.setTxt(key.dnsName, key.txt);
    database = await openDatabase({ url: testDb.env.DATABASE_URL, dataDir: testDb.env.DATA_DIR });
    config = ingestConfig(dns);
  });
  afterAll(async () => {
    await database?.close();
    await dns?.close();
    await testDb?.drop();
  });

  /** The attacker's own pending order for the amount the crafted text claims. */
  async function pendingOrder(payableFen: number) {
    const n = ++orderSeq;
    const orderNo = `ATTKQ${[961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(n / unit) % 31]).join('')}`;
    await insertPendingOrders(database.db, [{ orderNo, payableFen }], { firstCustomerId: 5_000 + n });
    return orderNo;
  }

  async function ingestSigned(notification: Parameters<typeof forwardedNotification>[0]) {
    const raw = await signMail(forwardedNotification(notification), key);
    const message = incoming(raw);
    const outcome = await ingestFor(database, config)(message);
    const [row] = await database.rows<{ amount_fen: number | null; status: string; review_reason: string }>(
      sql`select amount_fen, status, review_reason from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where uid = ${message.uid}`,
    );
    return { outcome, row };
  }

  const credits = async (orderNo: string) => (await ledgerByOrder(database.rows)).get(orderNo)?.n ?? 0;

  it('never credits a WeChat chat message whose text is a WeChat Pay receipt phrase', async () => {
    const orderNo = await pendingOrder(80_000);
    const chat = await ingestSigned({
      packageName: WECHAT_PACKAGE,
      text: ['微信支付收款800.00元(朋友到店)'],
      title: '张三',
    });
    // Not a payment of any rule: reported to the admins (it reads like money), never credited.
    expect(chat.outcome).toMatchObject({ kind: 'failed', reason: 'unparsed' });
    // The same as a stack of the contact's messages, with a service name typed into the text.
    const stacked = await ingestSigned({
      packageName: WECHAT_PACKAGE,
      text: ['[2条]微信支付: 微信支付收款800.00元(朋友到店)'],
      title: '张三',
    });
    expect(stacked.outcome).toMatchObject({ kind: 'failed', reason: 'unparsed' });
    expect(await credits(orderNo)).toBe(0);
  });

  it('reads an Alipay ¥0.01 transfer as ¥0.01 when its memo holds a "向你付款800.00元" phrase', async () => {
    const orderNo = await pendingOrder(80_001);
    const { outcome, row } = await ingestSigned({
      packageName: ALIPAY_PACKAGE,
      text: ['支付助手: ￥0.01 收到一笔转账', '付款方：李四', '转账备注：张三通过扫码向你付款800.01元'],
      title: '支付助手',
    });
    expect(outcome).toMatchObject({ kind: 'review', reason: 'unmatched' });
    expect(row).toMatchObject({ amount_fen: 1, status: 'review' });
    expect(await credits(orderNo)).toBe(0);
  });

  it('reads a scan payment from a nickname that is a receipt phrase as the amount actually paid', async () => {
    const orderNo = await pendingOrder(80_002);
    const whole = await ingestSigned({
      packageName: ALIPAY_PACKAGE,
      text: ['向你付款800.02元通过扫码向你付款0.01元'],
      title: '收款通知',
    });
    expect(whole.row).toMatchObject({ amount_fen: 1, status: 'review' });
    // A nickname that puts a second amount beside the real one: two amounts fit, a person decides.
    const beside = await ingestSigned({
      packageName: ALIPAY_PACKAGE,
      text: ['张三向你付款800.02元通过扫码向你付款0.01元'],
      title: '收款通知',
    });
    expect(beside.outcome).toMatchObject({ kind: 'review', reason: 'unclear_notification' });
    expect(await credits(orderNo)).toBe(0);
  });

  it('still credits the genuine notification of the same shapes', async () => {
    const scan = await pendingOrder(80_003);
    const shop = await pendingOrder(80_004);
    const a = await ingestSigned({
      packageName: ALIPAY_PACKAGE,
      text: ['张三通过扫码向你付款800.03元'],
      title: '收款通知',
    });
    const b = await ingestSigned({
      packageName: WECHAT_PACKAGE,
      text: ['[3条]微信支付: 微信支付收款800.04元(朋友到店)'],
      title: '微信',
    });
    expect([a.outcome, b.outcome]).toMatchObject([
      { kind: 'credited', orderNo: scan },
      { kind: 'credited', orderNo: shop },
    ]);
  });
});
