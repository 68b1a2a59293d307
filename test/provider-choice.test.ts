// Two collection codes (PAYEE_QR_URL_WECHAT set), end to end on both databases: /recharge offers Alipay and
// WeChat as buttons, the choice made creates that provider's order with that provider's QR code, both providers
// hold the same amount at once, and each provider's payment credits its own provider's order.
import { sql } from 'drizzle-orm';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardedAlipayTransfer, forwardedNotification, WECHAT_PACKAGE } from './support/notifications.ts';
import { PAYEE_QR_URL, type Stack, startStack } from './support/stack.ts';
import type { SentMessage, TelegramUser } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

// jsqr is CommonJS with an ES-style `default` in its types; under NodeNext the function sits on `.default`.
const jsQR = jsQRModule.default;
const WECHAT_QR_URL = 'wxp://f2f0testWeChatCollectCode';
const ORDER_NO = /<code>([A-Z2-9]{8})<\/code>/;
const PAYABLE = /<b>¥(\d+\.\d{2})<\/b>/;

/** A WeChat personal collection code's notification, as the forwarder mails it. */
const forwardedWechatPayment = (amount: string) =>
  forwardedNotification({
    packageName: WECHAT_PACKAGE,
    text: [`个人收款码到账¥${amount}`],
    title: '微信收款商业版',
  });

const qrContent = (photo: SentMessage) => {
  const png = PNG.sync.read(photo.photo?.bytes ?? Buffer.alloc(0));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
};

describe.each(DATABASE_KINDS)('choosing the provider on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { PAYEE_QR_URL_WECHAT: WECHAT_QR_URL });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newCustomer = (languageCode?: string): TelegramUser => ({
    id: 81_000 + ++seq + (kind === 'pglite' ? 500 : 0),
    firstName: 'Wei',
    ...(languageCode ? { languageCode } : {}),
  });
  const sentTo = (user: TelegramUser) => stack.telegram.sent.filter((m) => m.chatId === user.id);
  const ordersOf = (user: TelegramUser) =>
    stack.rows<{ order_no: string; provider: string | null; payable_fen: number; status: string }>(
      sql`select o.order_no, o.provider, o.payable_fen, o.status from orders o
          join customers c on c.id = o.customer_id
          where c.channel = 'telegram' and c.external_id = ${String(user.id)} order by o.id`,
    );

  async function providerPrompt(user: TelegramUser, amount: string) {
    const before = sentTo(user).length;
    stack.telegram.sendText(user, `/recharge ${amount}`);
    return stack.telegram.waitFor((m) => m.chatId === user.id && sentTo(user).indexOf(m) >= before);
  }
  async function choose(user: TelegramUser, prompt: SentMessage, data: string) {
    const before = sentTo(user).length;
    stack.telegram.pressButton(user, prompt, data);
    const photo = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && m.method === 'sendPhoto' && sentTo(user).indexOf(m) >= before,
    );
    return {
      photo,
      orderNo: ORDER_NO.exec(photo.caption ?? '')?.[1] ?? '',
      payable: PAYABLE.exec(photo.caption ?? '')?.[1] ?? '',
    };
  }

  it('answers /recharge 10 with Alipay and WeChat buttons and creates no order before the choice', async () => {
    const user = newCustomer();
    const prompt = await providerPrompt(user, '10');
    expect(prompt.method).toBe('sendMessage');
    expect(prompt.text).toContain('¥10.00');
    const buttons = prompt.replyMarkup?.inline_keyboard?.[0] ?? [];
    expect(buttons.map((b: { text: string; callback_data: string }) => [b.text, b.callback_data])).toEqual([
      ['支付宝', 'pay:alipay:1000'],
      ['微信', 'pay:wechat:1000'],
    ]);
    expect(await ordersOf(user)).toEqual([]);
  });

  it('names the providers in English for an English app', async () => {
    const prompt = await providerPrompt(newCustomer('en'), '10');
    const names = (prompt.replyMarkup?.inline_keyboard?.[0] ?? []).map((b: { text: string }) => b.text);
    expect(names).toEqual(['Alipay', 'WeChat Pay']);
  });

  it('holds ¥17.00 for both providers at once and credits each payment to its own provider’s order', async () => {
    const alipayUser = newCustomer();
    const wechatUser = newCustomer();
    const alipay = await choose(alipayUser, await providerPrompt(alipayUser, '17'), 'pay:alipay:1700');
    const wechat = await choose(wechatUser, await providerPrompt(wechatUser, '17'), 'pay:wechat:1700');

    expect(qrContent(alipay.photo)).toBe(PAYEE_QR_URL);
    expect(qrContent(wechat.photo)).toBe(WECHAT_QR_URL);
    expect(wechat.photo.caption).toContain('微信');
    // Payable amounts are unique per provider: both orders ask for exactly ¥17.00.
    expect([alipay.payable, wechat.payable]).toEqual(['17.00', '17.00']);
    expect(await ordersOf(alipayUser)).toMatchObject([{ provider: 'alipay', payable_fen: 1700 }]);
    expect(await ordersOf(wechatUser)).toMatchObject([{ provider: 'wechat', payable_fen: 1700 }]);

    await stack.deliver(forwardedWechatPayment('17.00'));
    const wechatCredit = await stack.telegram.waitFor(
      (m) => m.chatId === wechatUser.id && m.method === 'sendMessage' && (m.text ?? '').includes('到账'),
    );
    expect(wechatCredit.text).toContain(wechat.orderNo);
    expect(await ordersOf(alipayUser)).toMatchObject([{ status: 'pending' }]);

    await stack.deliver(forwardedAlipayTransfer({ amount: '17.00' }));
    const alipayCredit = await stack.telegram.waitFor(
      (m) => m.chatId === alipayUser.id && m.method === 'sendMessage' && (m.text ?? '').includes('到账'),
    );
    expect(alipayCredit.text).toContain(alipay.orderNo);
    const payments = await stack.rows<{ provider: string; order_no: string; status: string }>(
      sql`select p.provider, o.order_no, p.status from payments p join orders o on o.id = p.order_id
          where p.amount_fen = 1700 order by p.id`,
    );
    expect(payments).toEqual([
      { provider: 'wechat', order_no: wechat.orderNo, status: 'matched' },
      { provider: 'alipay', order_no: alipay.orderNo, status: 'matched' },
    ]);
  });

  it('puts a WeChat payment to review when only an Alipay order holds its amount', async () => {
    const user = newCustomer();
    const alipay = await choose(user, await providerPrompt(user, '18'), 'pay:alipay:1800');
    await stack.deliver(forwardedWechatPayment('18.00'));
    const row = await waitForPayment(stack, 1800);
    expect(row).toEqual({ status: 'review', review_reason: 'unmatched' });
    expect(await ordersOf(user)).toMatchObject([{ order_no: alipay.orderNo, status: 'pending' }]);
  });

  it('creates nothing for forged provider presses, and refuses an amount out of range', async () => {
    const user = newCustomer();
    const prompt = await providerPrompt(user, '10');
    const answeredBefore = stack.telegram.callbackAnswers.length;
    for (const data of [
      'pay:bitcoin:1000',
      'pay:wechat:1000:extra',
      'pay:wechat:12345678901',
      'pay:wechat',
    ]) {
      stack.telegram.injectCallback(user, prompt, data);
    }
    stack.telegram.injectCallback(user, prompt, 'pay:wechat:0');
    const refusal = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && (m.text ?? '').includes('金额无效'),
    );
    expect(refusal.method).toBe('sendMessage');
    expect(await ordersOf(user)).toEqual([]);
    expect(await eventuallyAnswered(stack, answeredBefore + 5)).toBe(true);
  });

  it('refuses /recharge of an amount out of range before offering the providers', async () => {
    const user = newCustomer();
    const answer = await providerPrompt(user, '999999');
    expect(answer.text).toContain('金额无效');
    expect(answer.replyMarkup).toBeUndefined();
  });

  it('offers the providers after a preset amount is pressed', async () => {
    const user = newCustomer();
    const presets = await providerPrompt(user, '');
    const prompt = await (async () => {
      const before = sentTo(user).length;
      stack.telegram.pressButton(user, presets, 'recharge:500');
      return stack.telegram.waitFor((m) => m.chatId === user.id && sentTo(user).indexOf(m) >= before);
    })();
    expect(prompt.replyMarkup?.inline_keyboard?.[0]?.[1]?.callback_data).toBe('pay:wechat:500');
    const { photo } = await choose(user, prompt, 'pay:wechat:500');
    expect(qrContent(photo)).toBe(WECHAT_QR_URL);
  });
});

describe.each(DATABASE_KINDS)('one collection code on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind);
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('creates no order for a provider press while PAYEE_QR_URL_WECHAT is unset', async () => {
    const user = { id: 83_001, firstName: 'Li' };
    stack.telegram.sendText(user, '/recharge');
    const presets = await stack.telegram.waitFor((m) => m.chatId === user.id);
    const answeredBefore = stack.telegram.callbackAnswers.length;
    stack.telegram.injectCallback(user, presets, 'pay:wechat:1000');
    stack.telegram.injectCallback(user, presets, 'pay:alipay:1000');
    expect(await eventuallyAnswered(stack, answeredBefore + 2)).toBe(true);
    const orders = await stack.rows(sql`select 1 from orders`);
    expect(orders).toEqual([]);
    expect(stack.telegram.sent.filter((m) => m.chatId === user.id)).toHaveLength(1);
  });
});

async function waitForPayment(stack: Stack, amountFen: number) {
  for (let i = 0; i < 200; i++) {
    const [row] = await stack.rows<{ status: string; review_reason: string | null }>(
      sql`select status, review_reason from payments where amount_fen = ${amountFen} order by id desc limit 1`,
    );
    if (row && row.status !== 'held') return row;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no payment of ${amountFen} fen recorded`);
}

/** Whether `total` callback queries have been answered (the bot handled them) within a few seconds. */
async function eventuallyAnswered(stack: Stack, total: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (stack.telegram.callbackAnswers.length >= total) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
