// The customer notifier: a Telegram customer is told in their language, a customer of another channel is
// told nothing (no chat to write to yet).
import { describe, expect, it } from 'vitest';
import { customerNotices } from '../src/modules/notify/customer-notifier.ts';

const telegram = { channel: 'telegram' as const, chatId: 501, language: null, languageCode: 'en-GB' };

describe('the customer notifier', () => {
  it("writes to a Telegram customer's chat in their language: texts as messages, messages whole", () => {
    const notices = customerNotices(telegram, (texts) => [
      texts.expired('ORDER123'),
      { method: 'sendMessage', text: 'whole', buttons: [[{ text: 'b', callbackData: 'x' }]] },
    ]);
    expect(notices).toEqual([
      { chatId: 501, message: { method: 'sendMessage', text: expect.stringContaining('ORDER123') } },
      {
        chatId: 501,
        message: { method: 'sendMessage', text: 'whole', buttons: [[{ text: 'b', callbackData: 'x' }]] },
      },
    ]);
    expect(notices[0]?.message).not.toEqual(
      customerNotices({ ...telegram, language: 'zh' }, (t) => t.expired('ORDER123'))[0]?.message,
    );
  });

  it('queues nothing for a customer of the API channel', () => {
    const render = () => 'never rendered';
    expect(
      customerNotices({ channel: 'api', chatId: null, language: null, languageCode: null }, render),
    ).toEqual([]);
  });
});
