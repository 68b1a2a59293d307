// Admin floods become summaries (issue 10, "Low"): past five unauthenticated review cards, or five given-up
// customer messages, in a minute, the rest are held and the admins get one summary a minute. Nothing is
// lost: every payment stays in the review queue.
import { sql } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummariseHeldNotices } from '../src/modules/notify/admin-notices.ts';
import { zhAdminTexts as adminTexts } from '../src/modules/notify/admin-texts.ts';
import { createDeliverOutbox } from '../src/modules/outbox/deliver-outbox.ts';
import { createTelegramSender } from '../src/modules/telegram/send-message.ts';
import type { Database } from '../src/shared/db/database.ts';
import { createStore, inTransaction, transactionOf } from '../src/shared/db/store.ts';
import { createScrubber } from '../src/shared/logger/scrub-secrets.ts';
import { createDkimKey, signMail } from './support/dkim.ts';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';
import { ADMIN, incoming, ingestConfig, ingestRunFor } from './support/ingest.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { startTelegramDouble, type TelegramDouble } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { manualClock, openUseCaseDatabase, type UseCaseDatabase } from './support/use-case-database.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

describe.each(DATABASE_KINDS)('admin floods on %s', (kind) => {
  let handle: UseCaseDatabase;
  let database: Database;
  let dns: DnsResponder;
  let telegram: TelegramDouble;
  const key = createDkimKey('qq.com', 'mailpay');
  beforeAll(async () => {
    [handle, dns, telegram] = await Promise.all([
      openUseCaseDatabase(kind),
      startDnsResponder(),
      startTelegramDouble(),
    ]);
    database = handle.database;
    dns.setTxt(key.dnsName, key.txt);
  });
  afterAll(async () => {
    await handle?.dispose();
    await dns?.close();
    await telegram?.close();
  });

  const adminTextsQueued = async () =>
    (
      await database.rows<{ message: { text?: string } }>(
        sql`select message from outbox where chat_id = ${ADMIN} order by id`,
      )
    ).map((row) => row.message.text ?? '');
  const summarise = (at: Date) =>
    createSummariseHeldNotices({
      transaction: transactionOf(database.db),
      clock: { now: () => at },
      admins: { ids: [ADMIN], defaultLanguage: 'zh' },
      floodPerMinute: 5, // the default
      onQueued() {},
    })();

  it('cards five of 20 unsigned payments in a minute, keeps all 20 in review, and sums up the rest once', async () => {
    const config = ingestConfig(dns);
    const ingest = ingestRunFor(database, config);
    const started = new Date();
    // Forged-looking: from the trusted forwarder's address, but unsigned. One genuine payment among them.
    const forged = Array.from({ length: 20 }, (_, i) =>
      incoming(Buffer.from(forwardedAlipayTransfer({ amount: `51.${String(i).padStart(2, '0')}` }))),
    );
    const genuine = incoming(await signMail(forwardedAlipayTransfer({ amount: '52.00' }), key));
    const outcomes = [];
    for (const message of [...forged.slice(0, 10), genuine, ...forged.slice(10)]) {
      outcomes.push(...(await ingest([message])));
    }
    expect(outcomes.map((o) => (o.kind === 'review' ? o.reason : o.kind))).toEqual([
      ...Array(10).fill('unauthenticated'),
      'unmatched',
      ...Array(10).fill('unauthenticated'),
    ]);

    const [queue] = await database.rows<{ in_review: number; carded: number }>(
      sql`select count(*)::int as in_review,
                 (count(*) filter (where exists (select 1 from admin_cards c where c.payment_id = p.id)))::int as carded
          from payments p where p.status = 'review' and p.review_reason = 'unauthenticated'`,
    );
    expect(queue).toEqual({ in_review: 20, carded: 5 });
    const genuineCard = await database.rows(
      sql`select 1 from admin_cards c join payments p on p.id = c.payment_id where p.amount_fen = 5200`,
    );
    expect(genuineCard).toHaveLength(1);

    expect(await summarise(new Date(started.getTime() + 30_000))).toBe(0); // the minute is not over
    expect(await summarise(new Date(started.getTime() + 120_000))).toBe(1);
    expect(await summarise(new Date(started.getTime() + 240_000))).toBe(0); // nothing held since
    const summaries = (await adminTextsQueued()).filter((text) =>
      text.includes('未通过邮件认证的付款进入待核对'),
    );
    expect(summaries).toEqual([adminTexts.heldUnauthenticatedCards(15, 1)]);
  });

  it('tells the admins of five customers who blocked the bot in a minute, then sums up the other seven', async () => {
    const customers = Array.from({ length: 12 }, (_, i) => 61_000 + i);
    const ids = await inTransaction(database.db, (store) =>
      store.outbox.enqueue(
        customers.map((chatId) => ({ chatId, message: { method: 'sendMessage', text: 'hi' } })),
      ),
    );
    const clock = manualClock(new Date()); // once the messages are due
    telegram.failNext('sendMessage', 12, {
      status: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const deliverDue = createDeliverOutbox({
      store: createStore(database.db),
      transaction: transactionOf(database.db),
      clock,
      send: createTelegramSender({
        telegram: new Telegram('123456:TEST-double-token', { apiRoot: telegram.apiRoot }),
        payeeQrPng: Buffer.alloc(0),
      }),
      logger: silent,
      scrub: createScrubber([]),
      admins: { ids: [ADMIN], defaultLanguage: 'zh' },
      floodPerMinute: 5,
    });
    await deliverDue({ only: ids });

    const [failed] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from outbox where status = 'failed' and chat_id >= 61000 and chat_id < 61012`,
    );
    expect(failed?.n).toBe(12);
    const notices = async () => (await adminTextsQueued()).filter((text) => text.includes('无法送达'));
    expect(await notices()).toHaveLength(5);
    expect(await summarise(new Date(clock.now().getTime() + 60_000))).toBe(1);
    expect((await notices()).at(-1)).toBe(adminTexts.heldDeliveryFailures(7, 1));
  });
});
