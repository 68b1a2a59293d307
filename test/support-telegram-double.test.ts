// Proves the Telegram Bot API double against the real telegraf client: polling, multipart photo
// uploads, callback queries, offsets, long-poll holding and injected 429s.

import QRCode from 'qrcode';
import { Telegraf, TelegramError } from 'telegraf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentMessage, TelegramDouble } from './support/telegram-double.ts';
import { startTelegramDouble } from './support/telegram-double.ts';

const user = { id: 4242, firstName: 'Ann', languageCode: 'zh-hans', username: 'ann' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getUpdatesCalls = (d: TelegramDouble) => d.calls.filter((c) => c.method === 'getUpdates').length;

describe('Telegram double with a polling telegraf bot', () => {
  let double: TelegramDouble;
  let bot: Telegraf;
  let launched: Promise<void>;
  let png: Buffer;

  beforeAll(async () => {
    png = await QRCode.toBuffer('wxp://f2f0example', { type: 'png' });
    double = await startTelegramDouble();
    bot = new Telegraf(double.token, { telegram: { apiRoot: double.apiRoot } });
    bot.start((ctx) => ctx.reply('Welcome to mailpay'));
    bot.command('photo', (ctx) =>
      ctx.replyWithPhoto(
        { source: png, filename: 'qr.png' },
        {
          caption: '<code>ABC</code> <b>¥9.99</b>',
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel:ABC' }]] },
        },
      ),
    );
    bot.hears(/^ping (\d+)$/, (ctx) => ctx.reply(`pong ${ctx.match[1]}`));
    bot.action(/^cancel:(.+)$/, async (ctx) => {
      await ctx.editMessageCaption(`Cancelled <code>${ctx.match[1]}</code>`, { parse_mode: 'HTML' });
      await ctx.answerCbQuery('Cancelled');
    });
    // launch() resolves only when the bot stops; wait for the first poll instead.
    launched = bot.launch();
    const deadline = Date.now() + 5000;
    while (getUpdatesCalls(double) === 0 && Date.now() < deadline) await sleep(10);
  });

  afterAll(async () => {
    bot.stop('test done');
    await launched;
    await double.close();
  });

  it('answers /start with text', async () => {
    const updateId = double.sendText(user, '/start');
    expect(updateId).toBeGreaterThan(0);
    const m = await double.waitFor((s) => s.method === 'sendMessage' && s.text === 'Welcome to mailpay');
    expect(m.chatId).toBe(user.id);
  });

  let photo: SentMessage;
  it('receives a multipart photo with caption, parse_mode and button', async () => {
    double.sendText(user, '/photo');
    photo = await double.waitFor((s) => s.method === 'sendPhoto');
    expect(photo.photo?.bytes.equals(png)).toBe(true);
    expect(photo.photo?.filename).toBe('qr.png');
    expect(photo.caption).toBe('<code>ABC</code> <b>¥9.99</b>');
    expect(photo.parseMode).toBe('HTML');
    expect(photo.replyMarkup).toEqual({
      inline_keyboard: [[{ text: 'Cancel', callback_data: 'cancel:ABC' }]],
    });
  });

  it('delivers a button press as a callback_query the bot answers', async () => {
    double.pressButton(user, photo, 'cancel:ABC');
    const edit = await double.waitFor((s) => s.method === 'editMessageCaption');
    expect(edit.editsMessageId).toBe(photo.id);
    expect(edit.caption).toBe('Cancelled <code>ABC</code>');
    await expect.poll(() => double.callbackAnswers.map((a) => a.text)).toEqual(['Cancelled']);
    // Like Telegram, editing the caption without reply_markup removed the keyboard.
    expect(() => double.pressButton(user, photo, 'cancel:ABC')).toThrow(/no button/);
  });

  it('long polls: a held getUpdates answers as soon as an update arrives, and idles quietly', async () => {
    const before = getUpdatesCalls(double);
    await sleep(1000);
    // One held request at most while idle, no busy polling.
    expect(getUpdatesCalls(double) - before).toBeLessThanOrEqual(1);
    const t = Date.now();
    double.sendText(user, 'ping 1');
    const m = await double.waitFor((s) => s.text === 'pong 1');
    expect(m.at - t).toBeLessThan(250);
  });

  it('delivers each update once (offset confirmation)', async () => {
    double.sendText(user, 'ping 2');
    await double.waitFor((s) => s.text === 'pong 2');
    await sleep(400);
    expect(double.sent.filter((s) => s.text === 'pong 2')).toHaveLength(1);
    expect(double.sent.filter((s) => s.text === 'pong 1')).toHaveLength(1);
  });

  it('injects a 429 with retry_after, then succeeds', async () => {
    double.failNext('sendMessage', 1, { status: 429, retryAfter: 1 });
    const err = await bot.telegram.sendMessage(user.id, 'first').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TelegramError);
    expect((err as TelegramError).code).toBe(429);
    expect((err as TelegramError).parameters?.retry_after).toBe(1);
    expect((err as TelegramError).description).toBe('Too Many Requests: retry after 1');
    const ok = await bot.telegram.sendMessage(user.id, 'second');
    expect(ok.text).toBe('second');
    expect(double.sent.some((s) => s.text === 'first')).toBe(false);
  });

  it('rejects HTML Telegram would reject', async () => {
    const err = await bot.telegram
      .sendMessage(user.id, 'a <foo> b', { parse_mode: 'HTML' })
      .catch((e: unknown) => e as TelegramError);
    expect((err as TelegramError).code).toBe(400);
    expect((err as TelegramError).description).toMatch(/can't parse entities: unsupported start tag "foo"/);
  });
});

describe('Telegram double with direct getUpdates calls', () => {
  let double: TelegramDouble;
  let bot: Telegraf;

  beforeAll(async () => {
    double = await startTelegramDouble({ token: '777:direct' });
    bot = new Telegraf(double.token, { telegram: { apiRoot: double.apiRoot } });
  });
  afterAll(() => double.close());

  it('keeps updates until an offset confirms them', async () => {
    expect(await bot.telegram.callApi('getUpdates', { timeout: 0 })).toEqual([]);
    const id = double.sendText(user, '/start hello');
    const first = await bot.telegram.callApi('getUpdates', { offset: 0, timeout: 0 });
    expect(first).toHaveLength(1);
    const update = first[0] as { update_id: number; message: { text: string; entities: unknown[] } };
    expect(update.update_id).toBe(id);
    expect(update.message.text).toBe('/start hello');
    expect(update.message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    expect(await bot.telegram.callApi('getUpdates', { offset: id, timeout: 0 })).toHaveLength(1);
    expect(await bot.telegram.callApi('getUpdates', { offset: id + 1, timeout: 0 })).toEqual([]);
    expect(await bot.telegram.callApi('getUpdates', { offset: 0, timeout: 0 })).toEqual([]);
  });

  it('holds a long poll until an update is queued', async () => {
    const started = Date.now();
    const poll = bot.telegram.callApi('getUpdates', { timeout: 5 });
    setTimeout(() => double.sendText(user, 'late'), 300);
    const result = await poll;
    const elapsed = Date.now() - started;
    expect(result).toHaveLength(1);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1000);
  });

  it('answers [] when the long poll times out', async () => {
    const pending = (await bot.telegram.callApi('getUpdates', { timeout: 0 })) as Array<{
      update_id: number;
    }>;
    const offset = (pending.at(-1)?.update_id ?? 0) + 1;
    const started = Date.now();
    expect(await bot.telegram.callApi('getUpdates', { offset, timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('keeps one command menu per scope and language code, and refuses commands Telegram refuses', async () => {
    const calls = double.commandMenuCalls.length;
    await bot.telegram.setMyCommands([{ command: 'help', description: '帮助' }]);
    await bot.telegram.setMyCommands([{ command: 'help', description: 'help' }], {
      scope: { type: 'default' },
      language_code: 'en',
    });
    await bot.telegram.setMyCommands([{ command: 'stats', description: 'figures' }], {
      scope: { type: 'chat', chat_id: 77 },
    });
    expect(double.commandMenuCalls.slice(calls).map((c) => [c.scope, c.languageCode])).toEqual([
      [{ type: 'default' }, ''],
      [{ type: 'default' }, 'en'],
      [{ type: 'chat', chat_id: 77 }, ''],
    ]);
    expect(double.commandMenu({ type: 'default' })).toEqual([{ command: 'help', description: '帮助' }]);
    expect(await bot.telegram.getMyCommands({ scope: { type: 'chat', chat_id: 77 } })).toEqual([
      { command: 'stats', description: 'figures' },
    ]);
    for (const bad of [
      { command: 'Help', description: 'x' },
      { command: 'help', description: '' },
    ]) {
      const err = await bot.telegram.setMyCommands([bad]).catch((e: unknown) => e as TelegramError);
      expect((err as TelegramError).code).toBe(400);
    }
    expect(double.commandMenuCalls).toHaveLength(calls + 3);
  });

  it('rejects an unknown token with 401', async () => {
    const stranger = new Telegraf('1:wrong', { telegram: { apiRoot: double.apiRoot } });
    const err = await stranger.telegram.getMe().catch((e: unknown) => e as TelegramError);
    expect((err as TelegramError).code).toBe(401);
    expect((err as TelegramError).description).toBe('Unauthorized');
  });

  it('ends a held poll promptly on close()', async () => {
    const other = await startTelegramDouble();
    const client = new Telegraf(other.token, { telegram: { apiRoot: other.apiRoot } });
    const started = Date.now();
    const poll = client.telegram.callApi('getUpdates', { timeout: 30 });
    await sleep(100);
    await other.close();
    expect(await poll).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
