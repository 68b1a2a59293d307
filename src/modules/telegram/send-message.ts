// Sends one outbox message through the Bot API and tells retryable failures from permanent ones.
import type { Telegram } from 'telegraf';
import { TelegramError } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { assertNever } from '../../shared/result.ts';
import type { InlineButton, OutboxMessage, PayeePhoto } from '../outbox/outbox-message.ts';
import { OutboxSendError, type SendTelegramMessage } from '../outbox/send-failure.ts';

export function createTelegramSender({
  telegram,
  payeeQrPng,
  wechatQrPng = null,
}: {
  telegram: Telegram;
  payeeQrPng: Buffer;
  /** PAYEE_QR_URL_WECHAT's QR code, or null when the payee has one code. */
  wechatQrPng?: Buffer | null;
}) {
  const sendPayeeQr = payeeQrSender(telegram, { payee_qr: payeeQrPng, payee_qr_wechat: wechatQrPng });

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
        return sendPayeeQr(chatId, message.photo, message.caption, reply_markup);
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

/** Sends an order's photo: the QR code named, uploaded once, then by Telegram's file_id. */
function payeeQrSender(telegram: Telegram, pngs: Record<PayeePhoto, Buffer | null>) {
  // The QR codes never change: upload each once, then send Telegram's file_id (as its docs recommend).
  const fileIds = new Map<PayeePhoto, string>();

  async function sendPayeeQr(
    chatId: number,
    photo: PayeePhoto,
    caption: string,
    reply_markup: InlineKeyboardMarkup | undefined,
  ) {
    const extra = { caption, parse_mode: 'HTML' as const, reply_markup };
    const fileId = fileIds.get(photo);
    if (fileId) {
      try {
        return await telegram.sendPhoto(chatId, fileId, extra);
      } catch (error) {
        if (!(error instanceof TelegramError && error.code === 400 && /file/i.test(error.message)))
          throw error;
        fileIds.delete(photo); // Telegram no longer knows the file: upload it again.
      }
    }
    const png = pngs[photo];
    // A WeChat order queued before PAYEE_QR_URL_WECHAT was removed: never show it the other provider's code.
    if (!png) throw new MissingPhotoError(photo);
    const sent = await telegram.sendPhoto(chatId, { source: png, filename: 'pay.png' }, extra);
    const uploaded = sent.photo.at(-1)?.file_id;
    if (uploaded) fileIds.set(photo, uploaded);
    return sent;
  }
  return sendPayeeQr;
}

class MissingPhotoError extends Error {
  constructor(photo: PayeePhoto) {
    super(`no QR code is configured for ${photo} (PAYEE_QR_URL_WECHAT unset)`);
  }
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
  if (error instanceof MissingPhotoError) return { kind: 'permanent', error: error.message };
  if (error instanceof TelegramError) {
    if (error.code === 429) {
      return { kind: 'retry', afterMs: (error.parameters?.retry_after ?? 5) * 1000, error: error.message };
    }
    if (error.code >= 500) return { kind: 'retry', error: error.message };
    return { kind: 'permanent', error: error.message };
  }
  return { kind: 'retry', error: error instanceof Error ? error.message : String(error) };
}
