// The HTTP outbox's texts for the admins in Chinese: a shop notify or event given up, and /renotify's answers.
import { code, escapeHtml } from '../../shared/html.ts';
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { field } from './admin-text-facts.ts';

/** What was given up: a shop's notify of a paid order, or an event for EVENTS_WEBHOOK_URL. */
export type GivenUpDelivery =
  | { kind: 'shop_notify'; pid: string; tradeNo: string; outTradeNo: string }
  | { kind: 'event'; eventId: string };

export interface GivenUpFacts {
  delivery: GivenUpDelivery;
  tries: number;
  outcome: string;
  detail: string | null;
}

const whatZh = (d: GivenUpDelivery) =>
  d.kind === 'shop_notify'
    ? `商户 ${escapeHtml(d.pid)} 订单 ${code(d.tradeNo)}（商户单号 ${field(d.outTradeNo, FIELD_LIMITS.name)}）的支付通知`
    : `事件 ${code(d.eventId)}`;

export const zhWebTexts = {
  webDeliveryFailed: (f: GivenUpFacts) =>
    [
      `⚠️ ${whatZh(f.delivery)}发送 ${f.tries} 次都未成功，已放弃。最后一次：${escapeHtml(f.outcome)}${f.detail ? `（${field(f.detail, FIELD_LIMITS.error)}）` : ''}`,
      f.delivery.kind === 'shop_notify' ? `商户那边修好后可重发：/renotify ${f.delivery.tradeNo}` : '',
    ]
      .filter(Boolean)
      .join('\n'),
  heldWebDeliveryFailures: (count: number, minutes: number) =>
    `⚠️ 过去 ${minutes} 分钟另有 ${count} 条支付通知或事件发送失败，已放弃（为免刷屏未逐条通知）。`,
  renotifyUsage: '用法：/renotify 订单号（重新给商户发送已付订单的支付通知）',
  renotifyQueued: (tradeNo: string) => `订单 ${code(tradeNo)} 的支付通知已重新排队，马上发送。`,
  renotifyNotShop: (tradeNo: string) => `订单 ${code(tradeNo)} 不是商户（EPay）订单，没有支付通知可发。`,
  renotifyNotPaid: (tradeNo: string, status: string) =>
    `订单 ${code(tradeNo)} 状态为 ${escapeHtml(status)}，只有已付订单才会通知商户。`,
};

export type AdminWebTexts = typeof zhWebTexts;
