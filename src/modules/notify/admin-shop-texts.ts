// The lines admin cards and /find add for a shop's (EPay) order, in Chinese and English: the shop and its
// order number (both as the shop sent them, so clipped and escaped), and how the shop's notify went.
import { FIELD_LIMITS } from '../telegram/telegram-limits.ts';
import { field } from './admin-text-facts.ts';

/** The shop an order came from. */
export interface ShopFacts {
  pid: string;
  outTradeNo: string;
}

/** The shop's notify of a paid order; `last.at` already in the operator's time zone. */
export interface NotifyFacts {
  status: string;
  tries: number;
  last: { at: string; outcome: string; httpStatus: number | null } | null;
}

interface ShopWords {
  shop: string;
  notify: string;
  notQueued: string;
  tries: (n: number) => string;
  last: string;
  /** The language's colon, comma and semicolon. */
  marks: { colon: string; comma: string; semicolon: string };
  statuses: Record<string, string>;
  outcomes: Record<string, string>;
}

const zh: ShopWords = {
  shop: '商户订单：pid',
  notify: '通知商户',
  notQueued: '尚未排队（订单未支付）',
  tries: (n) => `已尝试 ${n} 次`,
  last: '最近一次',
  marks: { colon: '：', comma: '，', semicolon: '；' },
  statuses: { pending: '发送中', delivered: '已送达', failed: '已放弃' },
  outcomes: {
    delivered: '商户已确认',
    bad_reply: '商户未回复 success',
    http_error: 'HTTP 错误',
    timeout: '超时',
    network: '连接失败',
    refused_address: '地址被拒绝（内网地址）',
  },
};

const en: ShopWords = {
  shop: 'Shop order: pid',
  notify: 'Shop notify',
  notQueued: 'not queued (order unpaid)',
  tries: (n) => `${n} ${n === 1 ? 'try' : 'tries'}`,
  last: 'last',
  marks: { colon: ': ', comma: ', ', semicolon: '; ' },
  statuses: { pending: 'sending', delivered: 'delivered', failed: 'given up' },
  outcomes: {
    delivered: 'acknowledged by the shop',
    bad_reply: 'the shop did not answer success',
    http_error: 'HTTP error',
    timeout: 'timed out',
    network: 'could not connect',
    refused_address: 'address refused (private network)',
  },
};

const wordOf = (words: Record<string, string>, key: string) => words[key] ?? field(key, FIELD_LIMITS.name);

function shopTexts(w: ShopWords) {
  return {
    shopLine: (shop: ShopFacts) =>
      `${w.shop} ${field(shop.pid, FIELD_LIMITS.name)} · out_trade_no ${field(shop.outTradeNo, FIELD_LIMITS.name)}`,
    notifyLine: (notify: NotifyFacts | null) => {
      const { colon, comma, semicolon } = w.marks;
      if (!notify) return `${w.notify}${colon}${w.notQueued}`;
      const last = notify.last
        ? `${semicolon}${w.last} ${field(notify.last.at, FIELD_LIMITS.name)} ${wordOf(w.outcomes, notify.last.outcome)}${
            notify.last.httpStatus === null ? '' : ` (HTTP ${notify.last.httpStatus})`
          }`
        : '';
      return `${w.notify}${colon}${wordOf(w.statuses, notify.status)}${comma}${w.tries(notify.tries)}${last}`;
    },
  };
}

export const zhShopTexts = shopTexts(zh);
export const enShopTexts = shopTexts(en);
