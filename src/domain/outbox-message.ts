// What the outbox holds: a Telegram message to send, already rendered (HTML parse mode).

export interface InlineButton {
  text: string;
  callbackData: string;
}

export type OutboxMessage =
  | { method: 'sendMessage'; text: string; buttons?: InlineButton[][] }
  /** `photo: 'payee_qr'`: the payee's collection QR code, rendered by the sender (it never changes). */
  | { method: 'sendPhoto'; photo: 'payee_qr'; caption: string; buttons?: InlineButton[][] };

export interface OutboxItem {
  chatId: number;
  message: OutboxMessage;
}
