// The Bot API double's webhook side behaves as Telegram's: setWebhook needs an https URL and a valid secret,
// updates are POSTed with the secret header and retried until a 2xx, getUpdates is refused meanwhile.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { startTelegramDouble, type TelegramDouble } from './support/telegram-double.ts';

describe('the Bot API double with a webhook', () => {
  let double: TelegramDouble;
  const received: Array<{ secret: string | undefined; body: string }> = [];
  let answers = [500, 502];
  const bot = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({
        secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined,
        body,
      });
      response.writeHead(answers.shift() ?? 200).end();
    });
  });
  let port = 0;
  const call = async (method: string, params: Record<string, unknown>) => {
    const response = await fetch(`${double.apiRoot}/bot${double.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    return (await response.json()) as { ok: boolean; error_code?: number };
  };
  beforeAll(async () => {
    double = await startTelegramDouble();
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    port = (bot.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await double.close();
    bot.close();
  });

  it('refuses a webhook that is not https or whose secret has characters Telegram does not allow', async () => {
    expect((await call('setWebhook', { url: `http://127.0.0.1:${port}/hook` })).ok).toBe(false);
    expect(
      (await call('setWebhook', { url: `https://127.0.0.1:${port}/hook`, secret_token: 'no spaces!' })).ok,
    ).toBe(false);
  });

  it('pushes each update with the secret, again until the bot answers 2xx, and refuses getUpdates meanwhile', async () => {
    const set = await call('setWebhook', {
      url: `https://127.0.0.1:${port}/hook`,
      secret_token: 'S3cret_token-1',
    });
    expect(set.ok).toBe(true);
    const updateId = double.sendText({ id: 77 }, 'hello');
    await eventually(async () => (double.webhookAttempts.get(updateId)?.length === 3 ? true : undefined));
    expect(double.webhookAttempts.get(updateId)).toEqual([500, 502, 200]);
    expect(received.map((r) => r.secret)).toEqual(['S3cret_token-1', 'S3cret_token-1', 'S3cret_token-1']);
    expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({
      update_id: updateId,
      message: { text: 'hello' },
    });
    expect(await call('getUpdates', {})).toMatchObject({ ok: false, error_code: 409 });

    answers = [];
    expect((await call('deleteWebhook', {})).ok).toBe(true);
    const polled = double.sendText({ id: 77 }, 'polled');
    const updates = (await call('getUpdates', {})) as unknown as { result: Array<{ update_id: number }> };
    expect(updates.result.map((u) => u.update_id)).toEqual([polled]);
  });
});
