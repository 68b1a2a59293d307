// The HTTP outbox's texts for the admins in English: the same keys as admin-web-texts.ts.
import { code, escapeHtml } from '../../shared/html.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { field } from './admin-text-facts.ts';
import type { AdminWebTexts, GivenUpDelivery } from './admin-web-texts.ts';

const whatEn = (d: GivenUpDelivery) =>
  d.kind === 'shop_notify'
    ? `The payment notify of order ${code(d.tradeNo)} (shop ${escapeHtml(d.pid)}, out_trade_no ${field(d.outTradeNo, FIELD_LIMITS.name)})`
    : `Event ${code(d.eventId)}`;

export const enWebTexts: AdminWebTexts = {
  webDeliveryFailed: (f) =>
    [
      `⚠️ ${whatEn(f.delivery)} failed ${f.tries} times and was given up. Last try: ${escapeHtml(f.outcome)}${f.detail ? ` (${field(f.detail, FIELD_LIMITS.error)})` : ''}`,
      f.delivery.kind === 'shop_notify'
        ? `Once the shop is fixed, resend it: /renotify ${f.delivery.tradeNo}`
        : '',
    ]
      .filter(Boolean)
      .join('\n'),
  heldWebDeliveryFailures: (count, minutes) =>
    `⚠️ In the last ${minutes} minutes ${count} more payment notifies or events were given up (not told one by one, to spare the chat).`,
  renotifyUsage: 'Usage: /renotify ORDERNO (send a paid order’s payment notify to the shop again)',
  renotifyQueued: (tradeNo) =>
    `The payment notify of order ${code(tradeNo)} is queued again and goes out now.`,
  renotifyNotShop: (tradeNo) =>
    `Order ${code(tradeNo)} is not a shop (EPay) order: it has no payment notify.`,
  renotifyNotPaid: (tradeNo, status) =>
    `Order ${code(tradeNo)} is ${escapeHtml(status)}: only paid orders are notified to the shop.`,
};
