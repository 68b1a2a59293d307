// The SmsForwarder webhook through the running service: both body shapes credit once, every refusal
// answers its status and changes nothing, and a notification arriving by mail and webhook credits once.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { ALIPAY_PACKAGE, forwardedNotification } from './support/notifications.ts';
import { ledgerByOrder, recharge } from './support/orders.ts';
import {
  defaultContent,
  defaultFormPost,
  JSON_TEMPLATE,
  jsonTemplatePost,
  kotlinSign,
  type PhoneNotification,
  post,
} from './support/sms-forwarder.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const TOKEN = 'fw-test-token-0123456789';
const SECRET = 'sms-forwarder-secret-for-tests';

/** An Alipay transfer notification naming the order in its memo, as the phone shows it. */
const transfer = (amount: string, memo: string, at = new Date()): PhoneNotification => ({
  packageName: ALIPAY_PACKAGE,
  text: [`支付助手: ￥${amount} 收到一笔转账`, '付款方：李四', `转账备注：${memo}`],
  title: '支付助手',
  at,
});

describe.each(DATABASE_KINDS)('the forwarder webhook on %s', (kind) => {
  let stack: Stack;
  let url: string;
  let userSeq = 0;
  const newCustomer = () => ({ id: 81_000 + ++userSeq + (kind === 'pglite' ? 500 : 0), firstName: 'Fei' });
  let timestampSeq = 0;
  /** A fresh millisecond timestamp each call: two requests never share one by accident. */
  const now = () => Date.now() - 1_000 + ++timestampSeq;

  const counts = async () => {
    const [row] = await stack.rows<{ payments: number; messages: number; ledger: number; requests: number }>(
      sql`select (select count(*)::int from payments) as payments, (select count(*)::int from messages) as messages,
                 (select count(*)::int from ledger_entries) as ledger,
                 (select count(*)::int from forwarder_requests) as requests`,
    );
    return row;
  };
  const refusals = async () =>
    Object.fromEntries(
      (
        await stack.rows<{ reason: string; count: string }>(sql`select reason, count from forwarder_refusals`)
      ).map((row) => [row.reason, Number(row.count)]),
    );
  const creditMessage = (userId: number, orderNo: string) =>
    stack.telegram.waitFor(
      (m) => m.chatId === userId && m.method === 'sendMessage' && (m.text ?? '').includes(orderNo),
    );

  beforeAll(async () => {
    stack = await startStack(kind, { FORWARDER_TOKEN: TOKEN, FORWARDER_SECRET: SECRET });
    await stack.startService();
    url = `http://127.0.0.1:${stack.service?.healthPort}/hooks/forwarder/${TOKEN}`;
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('credits the default form body once, with the sign made as WebhookUtils.kt makes it', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '21');
    const timestamp = now();
    const request = defaultFormPost({
      from: ALIPAY_PACKAGE,
      content: defaultContent(transfer(payable, orderNo)),
      timestamp,
      sign: kotlinSign(SECRET, timestamp),
    });
    // The sign is URL-encoded by the app and then form-encoded once more by OkHttp.
    expect(request.body).toMatch(/&sign=[^&]*%25/);
    expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
    expect((await creditMessage(user.id, orderNo)).text).toContain('¥21.00');
    // SmsForwarder retrying a request whose answer it lost: ok again, nothing more.
    expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
    expect((await ledgerByOrder(stack.rows)).get(orderNo)).toEqual({ n: 1, fen: 2100 });
    const [message] = await stack.rows<{ source: string; trusted: boolean; auth_result: string }>(
      sql`select m.source, m.trusted, p.auth_result from messages m join payments p on p.message_id = m.id
          where m.source_key = ${String(timestamp)}`,
    );
    expect(message).toEqual({ source: 'forwarder', trusted: true, auth_result: 'pass' });
  });

  it('credits a JSON template body, its sign URL-encoded inside the JSON', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '22');
    const timestamp = now();
    const request = jsonTemplatePost(JSON_TEMPLATE, {
      from: ALIPAY_PACKAGE,
      content: defaultContent(transfer(payable, `"${orderNo}"<&>`)),
      timestamp,
      sign: kotlinSign(SECRET, timestamp),
    });
    expect(JSON.parse(request.body).sign).toMatch(/%2B|%2F|%3D/);
    expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
    expect((await creditMessage(user.id, orderNo)).text).toContain('¥22.00');
  });

  it('reads a JSON template of [org_content] and [title] structurally, like the default layout', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '23');
    const timestamp = now();
    const notification = transfer(payable, orderNo);
    const template =
      '{"from":"[from]","org_content":"[org_content]","title":"[title]","timestamp":[timestamp],"sign":"[sign]"}';
    const request = jsonTemplatePost(template, {
      from: ALIPAY_PACKAGE,
      content: '',
      orgContent: notification.text.join('\n'),
      title: notification.title,
      timestamp,
      sign: kotlinSign(SECRET, timestamp),
    });
    expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
    expect((await creditMessage(user.id, orderNo)).text).toContain('¥23.00');
  });

  it('refuses every bad request with its status alone, counts it, and changes nothing', async () => {
    const user = newCustomer();
    const { orderNo, payable } = await recharge(stack, user, '24');
    const content = defaultContent(transfer(payable, orderNo));
    const signed = (timestamp: number, sign = kotlinSign(SECRET, timestamp)) =>
      defaultFormPost({ from: ALIPAY_PACKAGE, content, timestamp, sign });
    const before = await counts();
    const refusedBefore = await refusals();
    const wrongToken = await post(url.replace(TOKEN, `${TOKEN.slice(0, -1)}x`), signed(now()));
    const unknownPath = await post(url.replace(`/${TOKEN}`, '/somewhere-else-entirely'), signed(now()));
    expect(wrongToken).toEqual({ status: 404, text: '{"error":"not found"}' });
    expect(unknownPath).toEqual(wrongToken);
    expect(await post(url, signed(now(), kotlinSign('another-secret-entirely', now())))).toEqual({
      status: 401,
      text: 'Unauthorized',
    });
    const old = Date.now() - 3_601_000;
    expect(await post(url, signed(old))).toEqual({ status: 401, text: 'Unauthorized' });
    expect(await post(url, signed(Date.now() + 3_601_000))).toEqual({ status: 401, text: 'Unauthorized' });
    const huge = { ...signed(now()), body: `${signed(now()).body}&pad=${'x'.repeat(64 * 1024)}` };
    expect(await post(url, huge)).toEqual({ status: 413, text: 'Payload Too Large' });
    for (const body of ['', 'from=x', '{"from":', '[1,2]', '\xff\xfe', `${signed(now()).body}&from=again`])
      expect(await post(url, { contentType: 'text/plain', body })).toEqual({
        status: 400,
        text: 'Bad Request',
      });
    expect(await counts()).toEqual(before);
    const refused = await refusals();
    const added = (reason: string) => (refused[reason] ?? 0) - (refusedBefore[reason] ?? 0);
    // Both the wrong token and the other path under /hooks/forwarder/ are counted as unknown tokens.
    expect([added('unknown_token'), added('bad_sign'), added('stale_timestamp')]).toEqual([2, 1, 2]);
    expect([added('too_large'), added('malformed')]).toEqual([1, 6]);
    expect((await ledgerByOrder(stack.rows)).get(orderNo)).toBeUndefined();
  });

  it('refuses another body under a (timestamp, sign) pair already taken: 409, nothing credited', async () => {
    const first = newCustomer();
    const second = newCustomer();
    const a = await recharge(stack, first, '25');
    const b = await recharge(stack, second, '26');
    const timestamp = now();
    const sign = kotlinSign(SECRET, timestamp);
    const genuine = defaultFormPost({
      from: ALIPAY_PACKAGE,
      content: defaultContent(transfer(a.payable, a.orderNo)),
      timestamp,
      sign,
    });
    expect(await post(url, genuine)).toEqual({ status: 200, text: 'ok' });
    await creditMessage(first.id, a.orderNo);
    const before = await counts();
    const replay = defaultFormPost({
      from: ALIPAY_PACKAGE,
      content: defaultContent(transfer(b.payable, b.orderNo)),
      timestamp,
      sign,
    });
    expect(await post(url, replay)).toEqual({ status: 409, text: 'Conflict' });
    expect(await counts()).toEqual(before);
    expect((await ledgerByOrder(stack.rows)).get(b.orderNo)).toBeUndefined();
  });

  it.runIf(kind === 'postgres')(
    'takes a pair once when its requests race: retries ok, another body 409',
    async () => {
      const user = newCustomer();
      const { orderNo, payable } = await recharge(stack, user, '29');
      const other = await recharge(stack, newCustomer(), '30');
      const timestamp = now();
      const sign = kotlinSign(SECRET, timestamp);
      const genuine = defaultFormPost({
        from: ALIPAY_PACKAGE,
        content: defaultContent(transfer(payable, orderNo)),
        timestamp,
        sign,
      });
      const forged = defaultFormPost({
        from: ALIPAY_PACKAGE,
        content: defaultContent(transfer(other.payable, other.orderNo)),
        timestamp,
        sign,
      });
      const answers = await Promise.all(
        [genuine, genuine, genuine, forged].map((request) => post(url, request)),
      );
      const statuses = answers.map((answer) => answer.status);
      // Whichever body commits first owns the pair; the other body's requests are replays.
      const genuineWon = statuses[0] === 200;
      expect(statuses).toEqual(genuineWon ? [200, 200, 200, 409] : [409, 409, 409, 200]);
      const ledger = await ledgerByOrder(stack.rows);
      expect([ledger.get(orderNo)?.n, ledger.get(other.orderNo)?.n]).toEqual(
        genuineWon ? [1, undefined] : [undefined, 1],
      );
      const rows = await stack.rows(
        sql`select 1 from messages where source = 'forwarder' and source_key = ${String(timestamp)}`,
      );
      expect(rows).toHaveLength(1);
    },
  );

  it('answers 200 to another app and records it as no payment', async () => {
    const timestamp = now();
    const content = defaultContent({
      packageName: 'com.example.chat',
      text: ['向你付款10.00元'],
      title: '支付助手',
    });
    const request = defaultFormPost({
      from: 'com.example.chat',
      content,
      timestamp,
      sign: kotlinSign(SECRET, timestamp),
    });
    expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
    const rows = await stack.rows<{ status: string; parse_kind: string }>(
      sql`select p.status, p.parse_kind from payments p join messages m on m.id = p.message_id
          where m.source = 'forwarder' and m.source_key = ${String(timestamp)}`,
    );
    expect(rows).toEqual([{ status: 'ignored', parse_kind: 'not_payment' }]);
  });

  for (const order of [
    ['webhook', 'mail'],
    ['mail', 'webhook'],
  ] as const) {
    it(`credits a notification arriving by ${order[0]} then ${order[1]} once`, async () => {
      const user = newCustomer();
      const { orderNo, payable } = await recharge(stack, user, order[0] === 'webhook' ? '27' : '28');
      const at = new Date(Math.floor(Date.now() / 1000) * 1000);
      const notification = transfer(payable, orderNo, at);
      const byMail = () => stack.deliver(forwardedNotification(notification));
      const byWebhook = async () => {
        const timestamp = now();
        const sign = kotlinSign(SECRET, timestamp);
        const request = defaultFormPost({
          from: ALIPAY_PACKAGE,
          content: defaultContent(notification),
          timestamp,
          sign,
        });
        expect(await post(url, request)).toEqual({ status: 200, text: 'ok' });
      };
      const arrive = { mail: byMail, webhook: byWebhook };
      await arrive[order[0]]();
      await creditMessage(user.id, orderNo);
      await arrive[order[1]]();
      const statuses = await eventually(async () => {
        const rows = await stack.rows<{ source: string; status: string }>(
          sql`select m.source, p.status from payments p join messages m on m.id = p.message_id
              where p.memo = ${orderNo} order by p.id`,
        );
        return rows.length === 2 ? rows : undefined;
      });
      // The later copy is a suspected repeat: held for review, never credited.
      expect(statuses).toEqual([
        { source: order[0] === 'webhook' ? 'forwarder' : 'mail', status: 'matched' },
        { source: order[1] === 'webhook' ? 'forwarder' : 'mail', status: 'review' },
      ]);
      expect((await ledgerByOrder(stack.rows)).get(orderNo)?.n).toBe(1);
    });
  }
});
