// The message a new order sends its customer: the payee's QR code, the amount to pay, and a cancel button.
import type { CustomerTexts } from '../notify/customer-notifier.ts';
import { formatLocalTime } from '../notify/customer-texts.ts';
import type { OutboxMessage } from '../outbox/outbox-message.ts';
import type { Order } from './order.models.ts';

export function orderPhoto(
  request: { mailboxDelayed: boolean },
  order: Order,
  texts: CustomerTexts,
  timeZone: string,
): OutboxMessage {
  return {
    method: 'sendPhoto',
    photo: order.provider === 'wechat' ? 'payee_qr_wechat' : 'payee_qr',
    caption: texts.orderCaption({
      orderNo: order.orderNo,
      payableFen: order.payableFen,
      requestedFen: order.requestedFen,
      expiresAt: formatLocalTime(order.expiresAt, timeZone),
      mailboxDelayed: request.mailboxDelayed,
      provider: order.provider,
    }),
    buttons: [[{ text: texts.cancelButton, callbackData: `cancel:${order.orderNo}` }]],
  };
}
