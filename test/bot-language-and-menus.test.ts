// A bot that explains itself, over the Bot API double: the command menus registered with their scopes,
// /lang for customers and admins (kept in the database, across a restart), and the admins' /help.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_2, cardFor } from './support/admin.ts';
import { customerOfUser } from './support/customers.ts';
import { eventually } from './support/eventually.ts';
import { forwardedAlipayTransfer } from './support/notifications.ts';
import { recharge } from './support/orders.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import type { CommandScope, SentMessage, TelegramUser } from './support/telegram-double.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const ADMIN_COMMANDS = [
  'pending',
  'approve',
  'reject',
  'assign',
  'find',
  'refund',
  'adjust',
  'renotify',
  'stats',
  'health',
];
const CUSTOMER_COMMANDS = ['recharge', 'orders', 'cancel', 'balance', 'lang', 'help'];
const admin = { id: ADMIN_ID, firstName: 'Ada' };
const admin2 = { id: ADMIN_2, firstName: 'Bea' };
const everyone: CommandScope = { type: 'default' };
const chatOf = (id: number): CommandScope => ({ type: 'chat', chat_id: id });

describe.each(DATABASE_KINDS)('command menus and languages on %s', (kind) => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(kind, { ADMIN_CHAT_IDS: `${ADMIN_ID},${ADMIN_2}` });
    await stack.startService();
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  let seq = 0;
  const newUser = (languageCode?: string): TelegramUser => ({
    id: 70_000 + ++seq,
    firstName: 'Li',
    languageCode,
  });
  /** Sends `text` and returns the first message to `user` after it that satisfies `match`. */
  async function ask(user: TelegramUser, text: string, match: (m: SentMessage) => boolean = () => true) {
    const before = stack.telegram.sent.length;
    stack.telegram.sendText(user, text);
    return stack.telegram.waitFor(
      (m) => m.chatId === user.id && stack.telegram.sent.indexOf(m) >= before && match(m),
    );
  }
  const names = (scope: CommandScope, languageCode?: string) =>
    stack.telegram.commandMenu(scope, languageCode).map((c) => c.command);
  const menusRegistered = (count: number) =>
    eventually(async () => (stack.telegram.commandMenuCalls.length >= count ? true : undefined));

  it("registers the customers' menu for every language and each admin's menu in that admin's chat", async () => {
    await menusRegistered(4);
    const scopes = stack.telegram.commandMenuCalls.map((c) => ({
      scope: c.scope,
      languageCode: c.languageCode,
    }));
    expect(scopes).toEqual([
      { scope: everyone, languageCode: '' },
      { scope: everyone, languageCode: 'en' },
      { scope: chatOf(ADMIN_ID), languageCode: '' },
      { scope: chatOf(ADMIN_2), languageCode: '' },
    ]);
    expect(names(everyone)).toEqual(CUSTOMER_COMMANDS);
    expect(names(everyone, 'en')).toEqual(CUSTOMER_COMMANDS);
    expect(stack.telegram.commandMenu(everyone).find((c) => c.command === 'balance')?.description).toBe(
      '查看余额',
    );
    expect(stack.telegram.commandMenu(everyone, 'en').find((c) => c.command === 'balance')?.description).toBe(
      'show your balance',
    );
    for (const id of [ADMIN_ID, ADMIN_2]) {
      expect(names(chatOf(id))).toEqual([...ADMIN_COMMANDS, 'lang', 'help']);
      expect(
        stack.telegram.commandMenu(chatOf(id)).find((c) => c.command === 'stats')?.description,
      ).toContain('统计');
    }
  });

  it('switches a customer to English with /lang: replies and queued messages, kept across a restart', async () => {
    const user = newUser('zh-hans');
    const prompt = await ask(user, '/lang');
    const buttons = prompt.replyMarkup.inline_keyboard.flat();
    expect(buttons.map((b: { text: string }) => b.text)).toEqual(['中文', 'English']);
    const before = stack.telegram.sent.length;
    stack.telegram.pressButton(user, prompt, 'lang:en');
    const confirmation = await stack.telegram.waitFor(
      (m) => m.chatId === user.id && stack.telegram.sent.indexOf(m) >= before,
    );
    expect(confirmation.text).toContain('English');
    expect((await ask(user, '/balance')).text).toContain('Your balance');
    // The order's photo goes out through the outbox: rendered when queued, in the chosen language.
    const { photo } = await recharge(stack, user, '12');
    expect(photo.caption).toContain('Order number');
    const [row] = await stack.rows<{ language: string }>(
      sql`select language from customers where id = ${customerOfUser(user.id)}`,
    );
    expect(row?.language).toBe('en');

    await stack.stopService();
    await stack.startService();
    expect((await ask(user, '/help')).text).toContain('This bot tops up your account');

    expect((await ask(user, '/lang 中文')).text).toContain('中文');
    expect((await ask(user, '/balance')).text).toContain('您的余额');
  });

  it('registers the same menus again at every start', async () => {
    // The restart above registered them a second time: the same scopes, the same lists.
    await menusRegistered(8);
    const [first, second] = [
      stack.telegram.commandMenuCalls.slice(0, 4),
      stack.telegram.commandMenuCalls.slice(4, 8),
    ];
    expect(second).toEqual(first);
  });

  it("lists every admin command on one line each in an admin's /help", async () => {
    const help = await ask(admin2, '/help', (m) => (m.text ?? '').includes('管理命令'));
    const lines = (help.text ?? '').split('\n');
    for (const command of ADMIN_COMMANDS) {
      const line = lines.filter((l) => l.startsWith(`/${command} `));
      expect(line, command).toHaveLength(1);
      expect(line[0]).toMatch(/ — \S/);
    }
  });

  it("writes an admin's texts in English after /lang en: answers, menu, help and review cards", async () => {
    expect((await ask(admin, '/lang en')).text).toContain('English');
    await eventually(async () =>
      stack.telegram.commandMenu(chatOf(ADMIN_ID)).find((c) => c.command === 'stats')?.description ===
      'figures of today and the last 7 days'
        ? true
        : undefined,
    );
    expect(
      stack.telegram.commandMenu(chatOf(ADMIN_2)).find((c) => c.command === 'stats')?.description,
    ).toContain('统计');

    const help = await ask(admin, '/help', (m) => (m.text ?? '').includes('Admin commands'));
    expect(help.text).toContain('/refund ORDERNO [reason] — refund a paid order');
    // The customer help follows an admin's help straight away; the admin answers go through the outbox.
    const stats = await ask(admin, '/stats', (m) => (m.text ?? '').startsWith('📊'));
    expect(stats.text).toContain('📊 Today');
    const notFound = await ask(admin, '/find NOSUCH22', (m) => (m.text ?? '').includes('NOSUCH22'));
    expect(notFound.text).toContain('There is no order');

    // One payment, two admins: each card in its admin's language, and the decision edits both likewise.
    await stack.deliver(forwardedAlipayTransfer({ amount: '77.31', memo: 'nothing to match' }));
    const english = await cardFor(stack, ADMIN_ID, 'needs a check by hand');
    const chinese = await cardFor(stack, ADMIN_2, '需要人工核对');
    expect(english.text).toContain('no matching order');
    const paymentId = /Payment #(\d+)/.exec(english.text ?? '')?.[1];
    expect(chinese.text).toContain(`付款 #${paymentId}`);
    const reject = english.replyMarkup.inline_keyboard
      .flat()
      .find((b: { text: string }) => b.text === '❌ Reject');
    stack.telegram.pressButton(admin, english, reject.callback_data);
    const edited = (card: SentMessage) =>
      stack.telegram.waitFor(
        (m) => m.method === 'editMessageText' && m.editsMessageId === card.id && m.chatId === card.chatId,
      );
    expect((await edited(english)).text).toContain('❌ Rejected: Ada');
    expect((await edited(chinese)).text).toContain('❌ 已拒绝：Ada');
  });
});
