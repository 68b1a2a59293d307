// Webhook mode against the real service: Telegram's pushes are answered, an update delivered twice is
// handled once, and a request without the secret, too large or not an update changes nothing.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const SECRET = 'test-webhook-secret-0123456789';

describe.each(DATABASE_KINDS)('the Telegram webhook on %s', (kind) => {
  let stack: Stack;
  let hook: string;
  beforeAll(async () => {
    stack = await startStack(kind);
    const origin = `http://127.0.0.1:${stack.env.HTTP_PORT}`;
    Object.assign(stack.env, {
      TELEGRAM_WEBHOOK: 'true',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_URL: origin,
    });
    hook = `${origin}/telegram/webhook`;
    await stack.startService();
    // Registered once the HTTP server listens: from then on the double pushes instead of answering getUpdates.
    await eventually(async () =>
      stack.telegram.calls.some((c) => c.method === 'setWebhook') ? true : undefined,
    );
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  const post = (body: string, secret = SECRET) =>
    fetch(hook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body,
    });
  const balanceUpdate = (updateId: number, userId: number) =>
    JSON.stringify({
      update_id: updateId,
      message: {
        message_id: 1,
        from: { id: userId, is_bot: false, first_name: 'Test', language_code: 'en' },
        chat: { id: userId, type: 'private', first_name: 'Test' },
        date: Math.floor(Date.now() / 1000),
        text: '/balance',
        entities: [{ type: 'bot_command', offset: 0, length: 8 }],
      },
    });
  const repliesTo = (chatId: number) => stack.telegram.sent.filter((m) => m.chatId === chatId).length;

  it('answers a command Telegram pushes, with the secret header it was given', async () => {
    stack.telegram.sendText({ id: 4242, languageCode: 'en' }, '/balance');
    const reply = await stack.telegram.waitFor((m) => m.chatId === 4242);
    expect(reply.text).toContain('balance');
    // The push is answered once the update is handled, just after the reply went out.
    const attempts = await eventually(async () => [...stack.telegram.webhookAttempts.values()].at(-1));
    expect(attempts).toEqual([200]);
  });

  it('handles an update delivered twice once', async () => {
    const update = balanceUpdate(800_001, 4343);
    expect((await post(update)).status).toBe(200);
    expect((await post(update)).status).toBe(200);
    await stack.telegram.waitFor((m) => m.chatId === 4343);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(repliesTo(4343)).toBe(1);
  });

  it('refuses a push without the right secret, and handles nothing of it', async () => {
    expect((await post(balanceUpdate(800_002, 4444), 'wrong-secret-0123456789')).status).toBe(401);
    expect((await post(balanceUpdate(800_002, 4444), '')).status).toBe(401);
    // The update id is not burnt: Telegram's own delivery of it is still handled.
    expect((await post(balanceUpdate(800_002, 4444))).status).toBe(200);
    await stack.telegram.waitFor((m) => m.chatId === 4444);
    expect(repliesTo(4444)).toBe(1);
  });

  it('answers a body that is too large or not an update with an error and records nothing', async () => {
    expect((await post(`{"update_id": 800003, "pad": "${'x'.repeat(1_100_000)}"}`)).status).toBe(413);
    expect((await post('{not json')).status).toBe(400);
    expect((await post('{"update_id": -1}')).status).toBe(400);
    expect((await post('null')).status).toBe(400);
    const rows = await stack.rows<{ n: number }>(
      sql`select count(*)::int as n from telegram_updates where update_id in (800003, -1)`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});
