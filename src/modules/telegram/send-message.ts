// Sends one outbox message through the Bot API and tells retryable failures from permanent ones.
import type { Telegram } from 'telegraf';
import { TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { assertNever } from '../../shared/result.ts';
import type { InlineButton, OutboxMessage } from '../outbox/outbox-message.ts';
import { OutboxSendError, type SendTelegramMessage } from '../outbox/send-failure.ts';

export function createTelegramSender({ telegram, payeeQrPng }: { telegram: Telegram; payeeQrPng: Buffer }) {
  // The QR code never changes: upload it once, then send Telegram's file_id (as its docs recommend).
  let payeeQrFileId: string | null = null;

  async function sendPayeeQr(chatId: number, caption: string, reply_markup?: InlineKeyboardMarkup) {
    const extra = { caption, parse_mode: 'HTML' as const, reply_markup };
    if (payeeQrFileId) {
      try {
        return await telegram.sendPhoto(chatId, payeeQrFileId, extra);
      } catch (error) {
        if (!(error instanceof TelegramError && error.code === 400 && /file/i.test(error.message)))
          throw error;
        payeeQrFileId = null; // Telegram no longer knows the file: upload it again.
      }
    }
    const sent = await telegram.sendPhoto(chatId, { source: payeeQrPng, filename: 'pay.png' }, extra);
    payeeQrFileId = sent.photo.at(-1)?.file_id ?? null;
    return sent;
  }

  const send: SendTelegramMessage = async (chatId, message, editMessageId) => {
    try {
      const sent = await deliver(chatId, message, editMessageId ?? 0);
      return { messageId: typeof sent === 'object' ? sent.message_id : (editMessageId ?? null) };
    } catch (error) {
      // An edit retried after Telegram accepted it: the message already shows what we want.
      if (editMessageId !== undefined && isNotModified(error)) return { messageId: editMessageId };
      throw new OutboxSendError(classify(error));
    }
  };

  function deliver(chatId: number, message: OutboxMessage, messageId: number) {
    const reply_markup = keyboard(message.buttons);
    switch (message.method) {
      case 'sendMessage':
        return telegram.sendMessage(chatId, message.text, { parse_mode: 'HTML', reply_markup });
      case 'sendPhoto':
        if (message.photo === 'payee_qr') return sendPayeeQr(chatId, message.caption, reply_markup);
        return sendPicture(telegram, chatId, message.photo.pngBase64, {
          caption: message.caption,
          reply_markup,
        });
      case 'editMessageText':
        return telegram.editMessageText(chatId, messageId, undefined, message.text, {
          parse_mode: 'HTML',
          reply_markup,
        });
      case 'editMessageCaption':
        return telegram.editMessageCaption(chatId, messageId, undefined, message.caption, {
          parse_mode: 'HTML',
          reply_markup,
        });
      default:
        return assertNever(message);
    }
  }

  return send;
}

/** A picture made for one message (the health chart): uploaded each time, it differs every time. */
function sendPicture(
  telegram: Telegram,
  chatId: number,
  pngBase64: string,
  extra: { caption: string; reply_markup: InlineKeyboardMarkup | undefined },
) {
  const source = Buffer.from(pngBase64, 'base64');
  return telegram.sendPhoto(chatId, { source, filename: 'chart.png' }, { ...extra, parse_mode: 'HTML' });
}

function keyboard(buttons: InlineButton[][] | undefined): InlineKeyboardMarkup | undefined {
  if (!buttons) return undefined;
  return {
    inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.callbackData }))),
  };
}

function isNotModified(error: unknown): boolean {
  return (
    error instanceof TelegramError && error.code === 400 && /message is not modified/i.test(error.message)
  );
}

/** 429 and 5xx and network trouble pass; 400/403 (blocked bot, unknown chat, bad request) will not. */
function classify(error: unknown): ConstructorParameters<typeof OutboxSendError>[0] {
  if (error instanceof TelegramError) {
    if (error.code === 429) {
      return { kind: 'retry', afterMs: (error.parameters?.retry_after ?? 5) * 1000, error: error.message };
    }
    if (error.code >= 500) return { kind: 'retry', error: error.message };
    return { kind: 'permanent', error: error.message };
  }
  return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
}
