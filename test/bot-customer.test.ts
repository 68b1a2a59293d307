// The customer side of the bot over the Bot API double: help, bad amounts, presets, cancelling, balance.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerOfUser } from './support/customers.ts';
import { eventually } from './support/eventually.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe.each(DATABASE_KINDS)('customer bot on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { RECHARGE_MIN: '1', RECHARGE_MAX: '500', RECHARGE_AMOUNTS: '5,10,20' });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newUser = (languageCode?: string) => ({ id: 80_000 + ++seq, firstName: 'Bo', languageCode });
  const repliesTo = (user: { id: number }) => stack.telegram.sent.filter((m) => m.chatId === user.id);
  const orderCount = async (userId: number) => {
    const [row] = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from orders where customer_id = ${customerOfUser(userId)}`,
    );
    return row?.n ?? 0;
  };

  it('explains itself on /start and /help, in Chinese by default and English for English users', async () => {
    const zhUser = newUser();
    stack.telegram.sendText(zhUser, '/start');
    const zh = await stack.telegram.waitFor((m) => m.chatId === zhUser.id);
    expect(zh.text).toContain('/recharge');
    expect(zh.text).toContain('充值');

    const enUser = newUser('en-GB');
    stack.telegram.sendText(enUser, '/help');
    const en = await stack.telegram.waitFor((m) => m.chatId === enUser.id);
    expect(en.text).toContain('/balance');
    expect(en.text).toContain('top-up');
  });

  it.each(['-5', 'abc', '0', '10.001', '500.01', '0.99', '1e3'])(
    'answers /recharge %s with one clear reply and creates nothing',
    async (amount) => {
      const user = newUser('en');
      stack.telegram.sendText(user, `/recharge ${amount}`);
      const reply = await stack.telegram.waitFor((m) => m.chatId === user.id);
      expect(reply.method).toBe('sendMessage');
      expect(reply.text).toContain('not valid');
      expect(reply.text).toContain('¥1.00');
      expect(reply.text).toContain('¥500.00');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(repliesTo(user)).toHaveLength(1);
      expect(await orderCount(user.id)).toBe(0);
    },
  );

  it.each(['10.5', '10.50', '¥10', '10元'])('accepts /recharge %s', async (amount) => {
    const user = newUser();
    stack.telegram.sendText(user, `/recharge ${amount}`);
    const photo = await stack.telegram.waitFor((m) => m.chatId === user.id);
    expect(photo.method).toBe('sendPhoto');
    expect(await orderCount(user.id)).toBe(1);
  });

  it('offers the preset amounts for a bare /recharge, and a press creates the order', async () => {
    const user = newUser();
    stack.telegram.sendText(user, '/recharge');
    const menu = await stack.telegram.waitFor((m) => m.chatId === user.id);
    const buttons = menu.replyMarkup.inline_keyboard.flat();
    expect(buttons.map((b: { text: string }) => b.text)).toEqual(['¥5.00', '¥10.00', '¥20.00']);

    stack.telegram.pressButton(user, menu, buttons[2].callback_data);
    const photo = await stack.telegram.waitFor((m) => m.chatId === user.id && m.method === 'sendPhoto');
    expect(photo.caption).toMatch(/<b>¥(20\.00|19\.\d\d)<\/b>/);
  });

  it('cancels an order with its button and frees its payable amount', async () => {
    const first = newUser();
    stack.telegram.sendText(first, '/recharge 321');
    const photo = await stack.telegram.waitFor((m) => m.chatId === first.id && m.method === 'sendPhoto');
    expect(photo.caption).toContain('<b>¥321.00</b>');

    stack.telegram.pressButton(first, photo, photo.replyMarkup.inline_keyboard[0][0].callback_data);
    const cancelled = await stack.telegram.waitFor(
      (m) => m.chatId === first.id && m.method === 'sendMessage',
    );
    expect(cancelled.text).toMatch(/已取消/);

    const second = newUser();
    stack.telegram.sendText(second, '/recharge 321');
    const next = await stack.telegram.waitFor((m) => m.chatId === second.id && m.method === 'sendPhoto');
    expect(next.caption).toContain('<b>¥321.00</b>');
  });

  it('limits the pending orders a customer may hold', async () => {
    const user = newUser('en');
    for (const amount of ['30', '31', '32']) stack.telegram.sendText(user, `/recharge ${amount}`);
    await eventually(async () => (repliesTo(user).length === 3 ? true : undefined));
    stack.telegram.sendText(user, '/recharge 33');
    const refused = await stack.telegram.waitFor((m) => m.chatId === user.id && m.method === 'sendMessage');
    expect(refused.text).toContain('3 unpaid orders');
    expect(await orderCount(user.id)).toBe(3);
  });

  it('refuses a customer a sixth cancellation in the hour, saying when, and the order stays', async () => {
    const user = newUser('en');
    const cycle = async (amount: string) => {
      const before = repliesTo(user).length;
      stack.telegram.sendText(user, `/recharge ${amount}`);
      await eventually(async () => (repliesTo(user).length > before ? true : undefined));
      stack.telegram.sendText(user, '/cancel');
      await eventually(async () => (repliesTo(user).length > before + 1 ? true : undefined));
      return repliesTo(user).at(-1)?.text ?? '';
    };
    for (const amount of ['41', '42', '43', '44', '45'])
      expect(await cycle(amount)).toContain('is cancelled');
    const refused = await cycle('46');
    expect(refused).toMatch(
      /^You cancelled 5 orders in the last hour.*Try again after \d{4}-\d\d-\d\d \d\d:\d\d\.$/,
    );
    const [row] = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from orders where customer_id = ${customerOfUser(user.id)} and status = 'pending'`,
    );
    expect(row?.n).toBe(1);
  });

  it('uploads the QR code once and then sends the file id Telegram gave it', async () => {
    const users = [newUser(), newUser()];
    for (const user of users) {
      stack.telegram.sendText(user, '/recharge 7');
      await stack.telegram.waitFor((m) => m.chatId === user.id && m.method === 'sendPhoto');
    }
    const photos = stack.telegram.sent.filter((m) => m.method === 'sendPhoto');
    const uploads = photos.filter((m) => m.photo?.reference === undefined);
    expect(uploads).toHaveLength(1);
    const last = photos.at(-1);
    expect(last?.photo?.reference).toMatch(/^photo-/);
    expect(last?.photo?.bytes.equals(uploads[0]?.photo?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it('shows a zero balance to a new customer', async () => {
    const user = newUser();
    stack.telegram.sendText(user, '/balance');
    const reply = await stack.telegram.waitFor((m) => m.chatId === user.id);
    expect(reply.text).toContain('¥0.00');
  });

  it('delivers the order photo exactly once through Bot API 500s and 429s', async () => {
    const user = newUser();
    stack.telegram.failNext('sendPhoto', 1, { status: 500 });
    stack.telegram.failNext('sendPhoto', 1, { status: 429, retryAfter: 1 });
    stack.telegram.sendText(user, '/recharge 44');
    const photo = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && m.method === 'sendPhoto',
      15_000,
    );
    expect(photo.caption).toContain('¥44.00');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(repliesTo(user)).toHaveLength(1);
    const failedCalls = stack.telegram.calls.filter((c) => c.method === 'sendPhoto' && c.status >= 400);
    expect(failedCalls.map((c) => c.status)).toEqual(expect.arrayContaining([500, 429]));
  });
});
