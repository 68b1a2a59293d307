// The ingest use case on a real database: exactly-once recording, duplicates, oversize and failing messages.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordUnprocessable } from '../src/modules/ingestion/record-unprocessable.ts';
import { adminAudienceOf } from '../src/modules/notify/admin-audience.ts';
import { ORDER_NUMBER_ALPHABET } from '../src/modules/orders/order-number.ts';
import type { NotificationRule } from '../src/modules/payments/notification/rules.ts';
import type { Config } from '../src/shared/config/config.ts';
import { secretsOf } from '../src/shared/config/config.ts';
import { type Database, openDatabase } from '../src/shared/db/database.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';
import { ADMIN, incoming, ingestConfig, ingestFor, ingestRunFor } from './support/ingest.ts';
import { FORWARDER, forwardedAlipayTransfer } from './support/notifications.ts';
import { insertPendingOrders, ledgerByOrder } from './support/orders.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('ingesting messages on %s', (kind) => {
  let testDb: TestDatabase;
  let database: Database;
  let dns: DnsResponder;
  let config: Config;
  const key = createDkimKey('qq.com', 'mailpay');
  let orderSeq = 0;
  const customerBase = kind === 'pglite' ? 1_000 : 2_000;

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

  async function pendingOrder(payableFen: number) {
    const n = ++orderSeq;
    const orderNo = `TESTQ${[961, 31, 1].map((unit) => ORDER_NUMBER_ALPHABET[Math.floor(n / unit) % 31]).join('')}`;
    await insertPendingOrders(database.db, [{ orderNo, payableFen }], {
      firstCustomerId: customerBase + orderSeq,
    });
    return orderNo;
  }
  const paymentRows = (where: ReturnType<typeof sql>) =>
    database.rows<{
      id: number;
      status: string;
      parse_kind: string;
      review_reason: string | null;
      uid: number;
    }>(
      sql`select id, status, parse_kind, review_reason, uid from (select p.*, m.source_key as message_key, (m.metadata->>'uid')::int as uid from payments p join messages m on m.id = p.message_id) payments where ${where} order by id`,
    );
  const adminOutbox = async () =>
    (
      await database.rows<{ message: { text: string } }>(
        sql`select message from outbox where chat_id = ${ADMIN} order by id`,
      )
    ).map((row) => row.message.text);
  const cursor = async () =>
    Number(
      (await database.rows<{ last_uid: number }>(sql`select last_uid from mailbox_cursors`))[0]?.last_uid,
    );

  it('records the same Message-ID once, however often it arrives', async () => {
    const ingest = ingestFor(database, config);
    const orderNo = await pendingOrder(1_101);
    const raw = await signMail(
      forwardedAlipayTransfer({ amount: '11.01', memo: orderNo, messageId: '<same-id@qq.com>' }),
      key,
    );
    expect((await ingest(incoming(raw))).kind).toBe('credited');
    expect(await ingest(incoming(raw))).toEqual({ kind: 'duplicate' });
    // A re-signed copy (new signature, same Message-ID) is the same message too.
    const again = await signMail(raw.toString().slice(raw.toString().indexOf('From:')), key);
    expect(await ingest(incoming(again))).toEqual({ kind: 'duplicate' });
    expect(await paymentRows(sql`message_key = '<same-id@qq.com>'`)).toHaveLength(1);
    expect((await ledgerByOrder(database.rows)).get(orderNo)?.n).toBe(1);
  });

  it('records the same provider transaction id once, even under a new Message-ID', async () => {
    const ingest = ingestFor(database, config);
    const orderNo = await pendingOrder(1_202);
    const receipt = (messageId: string) =>
      [
        'From: service@alipay.com',
        'To: pay@example.test',
        'Subject: 支付宝到账提醒',
        `Message-ID: ${messageId}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        '您已成功收款12.02元',
        '收款金额: ¥12.02',
        '付款人: 王五',
        `付款备注: ${orderNo}`,
        '交易号: 2026112622001456781234500001',
        '到账时间: 2026-11-26 10:00:00',
        '',
      ].join('\r\n');
    const first = await ingest(incoming(Buffer.from(receipt('<r1@alipay.com>'))));
    const second = await ingest(incoming(Buffer.from(receipt('<r2@alipay.com>'))));
    expect(first.kind).toBe('review'); // unsigned here: it is the recording that matters
    expect(second).toEqual({ kind: 'duplicate' });
    expect(await paymentRows(sql`transaction_id = '2026112622001456781234500001'`)).toHaveLength(1);
  });

  it('holds a forwarder repeat (same text and notification time, new Message-ID) for review, never crediting it', async () => {
    const ingest = ingestFor(database, config);
    const first = await pendingOrder(1_303);
    const at = new Date('2026-11-26T02:00:00Z');
    const original = await signMail(forwardedAlipayTransfer({ amount: '13.03', memo: first, at }), key);
    expect((await ingest(incoming(original))).kind).toBe('credited');
    // A second pending order at the same amount would make a credit by amount tempting.
    const repeat = await signMail(forwardedAlipayTransfer({ amount: '13.03', memo: first, at }), key);
    const outcome = await ingest(incoming(repeat));
    expect(outcome).toMatchObject({ kind: 'review', reason: 'suspected_duplicate' });
    expect((await ledgerByOrder(database.rows)).get(first)?.n).toBe(1);
    expect((await adminOutbox()).at(-1)).toContain('疑似重复');
  });

  it('records a message above MAIL_MAX_BYTES without parsing it, reports it, and moves on', async () => {
    const small = ingestFor(database, ingestConfig(dns, { MAIL_MAX_BYTES: '1000' }));
    const big = incoming(null, {
      size: 5_000_000,
      envelope: { messageId: '<big@qq.com>', subject: 'com.eg.android.AlipayGphone', from: FORWARDER },
    });
    expect(await small(big)).toMatchObject({ kind: 'failed', reason: 'too large (5000000 bytes)' });
    const fetchedAnyway = incoming(Buffer.alloc(2_000, 'x'));
    expect(await small(fetchedAnyway)).toMatchObject({ kind: 'failed' });
    expect(await paymentRows(sql`message_key = '<big@qq.com>'`)).toMatchObject([
      { status: 'failed', parse_kind: 'too_large' },
    ]);
    expect(await cursor()).toBe(fetchedAnyway.uid);
    expect((await adminOutbox()).at(-1)).toContain('too large');
  });

  it('records a message that makes the parser throw as failed, and the next message is processed', async () => {
    // Plain data, as rules reach the mail-reader thread, that the parser cannot handle: a bug in waiting.
    const brokenRule = {
      id: 'broken',
      provider: 'alipay',
      trigger: ['.'],
      fields: null,
    } as unknown as NotificationRule;
    const broken = ingestFor(database, config, [brokenRule]);
    const message = incoming(Buffer.from(forwardedAlipayTransfer({ amount: '1.00', memo: 'X' })));
    expect(await broken(message)).toMatchObject({ kind: 'failed', reason: 'parser error' });
    expect(await paymentRows(sql`uid = ${message.uid}`)).toMatchObject([
      { status: 'failed', parse_kind: 'parser_error' },
    ]);

    const ingest = ingestFor(database, config);
    const orderNo = await pendingOrder(1_404);
    const next = incoming(await signMail(forwardedAlipayTransfer({ amount: '14.04', memo: orderNo }), key));
    expect((await ingest(next)).kind).toBe('credited');
  });

  it('records a message whose processing keeps failing as failed, passes it and tells the admins', async () => {
    const giveUp = createRecordUnprocessable({
      transaction: transactionOf(database.db),
      admins: adminAudienceOf(config),
      secrets: secretsOf(config),
      clock: { now: () => new Date() },
      onQueued: () => {},
    });
    const message = incoming(Buffer.from('Subject: x\r\n\r\ny'), {
      envelope: { messageId: '<poison@qq.com>', subject: '<b>收款</b>', from: FORWARDER },
    });
    const outcome = await giveUp(message, new Error('violates check constraint "orders_amounts_positive"'));
    expect(outcome).toMatchObject({ kind: 'failed' });
    expect(await paymentRows(sql`message_key = '<poison@qq.com>'`)).toMatchObject([
      { status: 'failed', parse_kind: 'processing_error' },
    ]);
    expect(await cursor()).toBe(message.uid);
    const alert = (await adminOutbox()).at(-1) ?? '';
    expect(alert).toContain('orders_amounts_positive');
    expect(alert).toContain('&lt;b&gt;收款&lt;/b&gt;');
  });

  it('records an unparseable message from a trusted sender and alerts the admins with its subject and an escaped snippet', async () => {
    const ingest = ingestFor(database, config);
    const raw = await signMail(
      [
        `From: SmsForwarder <${FORWARDER}>`,
        'To: pay@example.test',
        'Subject: com.eg.android.AlipayGphone',
        'Message-ID: <odd-shape@qq.com>',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'com.eg.android.AlipayGphone',
        '<script>x</script> 你收到了一笔神秘到账 ¥8.88元',
        '',
      ].join('\r\n'),
      key,
    );
    expect(await ingest(incoming(raw))).toMatchObject({ kind: 'failed', reason: 'unparsed' });
    const alert = (await adminOutbox()).at(-1) ?? '';
    expect(alert).toContain('com.eg.android.AlipayGphone');
    expect(alert).toContain('&lt;script&gt;x&lt;/script&gt; 你收到了一笔神秘到账');
    expect(alert).not.toContain('<script>');
  });

  it('records a message with NUL characters in its headers and body (PostgreSQL text refuses them)', async () => {
    const ingest = ingestFor(database, config);
    const raw = Buffer.from(
      `From: SmsForwarder <${FORWARDER}>\r\nSubject: com.eg.android.AlipayGphone\u0000\r\nMessage-ID: <nul\u0000id@qq.com>\r\n\r\ncom.eg.android.AlipayGphone\r\n张三\u0000通过扫码向你付款1.00元\r\n收款通知\r\nUID:1\r\n2026-11-20 12:00:00\r\n`,
    );
    expect(await ingest(incoming(raw))).toMatchObject({ kind: 'review', reason: 'unauthenticated' });
    const tooLarge = incoming(null, {
      size: 9_000_000,
      envelope: { messageId: '<big-nul\u0000@qq.com>', subject: 'a\u0000b', from: `x\u0000${FORWARDER}` },
    });
    expect(await ingest(tooLarge)).toMatchObject({ kind: 'failed' });
    const giveUp = createRecordUnprocessable({
      transaction: transactionOf(database.db),
      admins: adminAudienceOf(config),
      secrets: secretsOf(config),
      clock: { now: () => new Date() },
      onQueued: () => {},
    });
    const poison = incoming(raw, { envelope: { messageId: null, subject: 'x\u0000', from: '' } });
    expect(await giveUp(poison, new Error('bad \u0000 byte'))).toMatchObject({ kind: 'failed' });
  });

  describe('a run of messages, recorded together as in a catch-up', () => {
    const signed = (options: Parameters<typeof forwardedAlipayTransfer>[0]) =>
      signMail(forwardedAlipayTransfer(options), key);
    const customerMessages = (customerId: number) =>
      database.rows<{ text: string }>(
        sql`select message->>'text' as text from outbox where chat_id = ${customerId} order by id`,
      );

    it('gives each message the outcome it would have had on its own, in order, and moves the cursor past the run', async () => {
      const ingestRun = ingestRunFor(database, config);
      const [a, b, c] = [await pendingOrder(2_101), await pendingOrder(2_102), await pendingOrder(2_103)];
      const at = new Date('2026-11-26T03:00:00Z');
      const twice = await signed({ amount: '21.01', memo: a, messageId: '<run-twice@qq.com>' });
      const run = [
        incoming(twice),
        incoming(twice), // the same message delivered twice
        incoming(await signed({ amount: '21.02', memo: b, at })),
        incoming(await signed({ amount: '21.02', memo: b, at })), // a forwarder's repeat
        incoming(await signed({ amount: '21.01', memo: a, at: new Date('2026-11-26T03:00:30Z') })), // names a paid order
        incoming(await signed({ amount: '21.03', memo: '' })), // no memo: by its unique amount
        incoming(Buffer.from(`From: news@example.com\r\nSubject: hello\r\n\r\nnot a payment\r\n`)),
      ];
      const outcomes = await ingestRun(run);
      expect(outcomes.map((o) => ('reason' in o ? `${o.kind}:${o.reason}` : o.kind))).toEqual([
        'credited',
        'duplicate',
        'credited',
        'review:suspected_duplicate',
        'review:already_paid',
        'credited',
        'ignored',
      ]);
      expect(outcomes[5]).toMatchObject({ orderNo: c });
      const ledger = await ledgerByOrder(database.rows);
      for (const orderNo of [a, b, c]) expect(ledger.get(orderNo)?.n).toBe(1);
      expect(await cursor()).toBe(run.at(-1)?.uid);
    });

    it('tells a customer paid twice in one run each new balance in turn', async () => {
      const ingestRun = ingestRunFor(database, config);
      const first = await pendingOrder(2_201);
      const customerId = customerBase + orderSeq;
      const second = 'TESTRUN2';
      await database.rows(sql`insert into orders (order_no, customer_id, requested_fen, payable_fen, expires_at)
        values (${second}, ${customerId}, 2202, 2202, now() + interval '1 hour')`);
      const outcomes = await ingestRun([
        incoming(await signed({ amount: '22.01', memo: first })),
        incoming(await signed({ amount: '22.02', memo: second })),
      ]);
      expect(outcomes.map((o) => o.kind)).toEqual(['credited', 'credited']);
      const texts = (await customerMessages(customerId)).map((m) => m.text);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain(first);
      expect(texts[0]).toContain('¥22.01');
      expect(texts[0]).toMatch(/¥22\.01\D*$/);
      expect(texts[1]).toContain(second);
      expect(texts[1]).toMatch(/¥44\.03\D*$/);
      const [balance] = await database.rows<{ balance_fen: string }>(
        sql`select balance_fen::text from customers where id = ${customerId}`,
      );
      expect(balance?.balance_fen).toBe('4403');
    });

    it('ends the run before a message that fails, which the next call records on its own', async () => {
      const ingestRun = ingestRunFor(database, config);
      const orderNo = await pendingOrder(2_301);
      const paid = incoming(await signed({ amount: '23.01', memo: orderNo }));
      const tooLarge = incoming(null, {
        size: 9_000_000,
        envelope: { messageId: '<run-big@qq.com>', subject: 'big', from: FORWARDER },
      });
      const after = incoming(await signed({ amount: '23.99', memo: '' }));
      expect((await ingestRun([paid, tooLarge, after])).map((o) => o.kind)).toEqual(['credited']);
      expect(await cursor()).toBe(paid.uid);
      expect((await ingestRun([tooLarge, after])).map((o) => o.kind)).toEqual(['failed']);
      expect((await ingestRun([after])).map((o) => o.kind)).toEqual(['review']);
      expect(await cursor()).toBe(after.uid);
    });

    it('records one message at a time when one message spoils the run, so only that one fails', async () => {
      const ingestRun = ingestRunFor(database, config);
      const [good, later] = [await pendingOrder(2_401), await pendingOrder(2_402)];
      // A database that refuses one message, as a constraint or a bug might.
      await database.rows(sql`create function refuse_poison() returns trigger language plpgsql as $$
        begin
          if new.source_key = '<run-poison@qq.com>' then raise exception 'refused'; end if;
          return new;
        end $$`);
      await database.rows(
        sql`create trigger refuse_poison before insert on messages for each row execute function refuse_poison()`,
      );
      try {
        const first = incoming(await signed({ amount: '24.01', memo: good }));
        const poison = incoming(
          await signed({ amount: '24.50', memo: '', messageId: '<run-poison@qq.com>' }),
        );
        const last = incoming(await signed({ amount: '24.02', memo: later }));
        expect((await ingestRun([first, poison, last])).map((o) => o.kind)).toEqual(['credited']);
        const error = await ingestRun([poison, last]).catch((thrown: Error) => thrown);
        expect(String((error as Error).cause)).toMatch(/refused/);
        expect(await cursor()).toBe(first.uid);
        expect((await ingestRun([last])).map((o) => o.kind)).toEqual(['credited']);
      } finally {
        await database.rows(sql`drop trigger refuse_poison on messages`);
        await database.rows(sql`drop function refuse_poison()`);
      }
    });
  });
});
