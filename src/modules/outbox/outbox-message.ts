// What the outbox holds: a Telegram message to send or edit, already rendered (HTML parse mode).

export interface InlineButton {
  text: string;
  callbackData: string;
}

/** The message an edit changes: the one another outbox row sent (its Telegram id is known only once sent). */
export interface EditTarget {
  outboxId: number;
}

export type OutboxMessage =
  | { method: 'sendMessage'; text: string; buttons?: InlineButton[][] }
  /**
   * The payee's collection QR code, rendered by the sender (it never changes): `payee_qr` is PAYEE_QR_URL's
   * (Alipay's when there are two), `payee_qr_wechat` PAYEE_QR_URL_WECHAT's.
   */
  | { method: 'sendPhoto'; photo: PayeePhoto; caption: string; buttons?: InlineButton[][] }
  /** Without `buttons` the edit removes the message's keyboard (as Telegram does). */
  | { method: 'editMessageText'; target: EditTarget; text: string; buttons?: InlineButton[][] }
  | { method: 'editMessageCaption'; target: EditTarget; caption: string; buttons?: InlineButton[][] };

export type PayeePhoto = 'payee_qr' | 'payee_qr_wechat';

export interface OutboxItem {
  chatId: number;
  message: OutboxMessage;
}

export function isEdit(
  message: OutboxMessage,
): message is Extract<OutboxMessage, { method: 'editMessageText' | 'editMessageCaption' }> {
  return message.method === 'editMessageText' || message.method === 'editMessageCaption';
}
