// The message a new order sends its customer: the payee's QR code, the amount to pay, and a cancel button.
import { formatLocalTime, type Language, textsFor } from '../notify/customer-texts.ts';
import type { OutboxItem } from '../outbox/outbox-message.ts';
import type { Order } from './order.models.ts';

export function orderPhoto(
  request: { customer: { chatId: number }; mailboxDelayed: boolean },
  order: Order,
  language: Language,
  timeZone: string,
): OutboxItem {
  const texts = textsFor(language);
  return {
    chatId: request.customer.chatId,
    message: {
      method: 'sendPhoto',
      photo: 'payee_qr',
      caption: texts.orderCaption({
        orderNo: order.orderNo,
        payableFen: order.payableFen,
        requestedFen: order.requestedFen,
        expiresAt: formatLocalTime(order.expiresAt, timeZone),
        mailboxDelayed: request.mailboxDelayed,
      }),
      buttons: [[{ text: texts.cancelButton, callbackData: `cancel:${order.orderNo}` }]],
    },
  };
}
