// What each kind of delivery sends and what counts as delivered: a shop's notify is `GET notify_url?…` signed
// with its pid's key and is delivered by a 2xx reply whose body contains `success` (as EPay gateways judge it);
// an event is POSTed as signed JSON and is delivered by any 2xx.
import { paidOrderParams, withParams } from '../epay/shop-callback.ts';
import { eventSignatureHeader } from '../events/event-signature.ts';
import type { ShopNotify } from './web-delivery.repository.ts';
import type { WebReply, WebRequest } from './web-request.ts';

export type AttemptOutcome =
  | 'delivered'
  | 'bad_reply'
  | 'http_error'
  | 'timeout'
  | 'network'
  | 'refused_address'
  /** The pid's key or the events webhook is no longer configured: nothing could be sent. */
  | 'not_configured';

export interface JudgedTry {
  outcome: AttemptOutcome;
  httpStatus: number | null;
  /** Short and sanitised: stored, logged and shown to admins. */
  detail: string | null;
}

const USER_AGENT = 'mailpay';
const DETAIL_CHARS = 160;

export function shopNotifyRequest(notify: ShopNotify, key: string): WebRequest {
  return {
    method: 'GET',
    url: withParams(notify.notifyUrl, paidOrderParams(notify, key)),
    headers: { 'user-agent': USER_AGENT },
  };
}

export function eventRequest(
  events: { url: string; secret: string },
  event: { eventId: string; body: unknown },
  at: Date,
): WebRequest {
  const body = JSON.stringify(event.body);
  return {
    method: 'POST',
    url: events.url,
    headers: {
      'user-agent': USER_AGENT,
      'content-type': 'application/json',
      'mailpay-event-id': event.eventId,
      'mailpay-signature': eventSignatureHeader(events.secret, body, at),
    },
    body,
  };
}

export function judgeReply(
  kind: 'shop_notify' | 'event',
  reply: Exclude<WebReply, { kind: 'stopped' }>,
): JudgedTry {
  switch (reply.kind) {
    case 'timeout':
      return { outcome: 'timeout', httpStatus: null, detail: 'no answer in time' };
    case 'network':
      return { outcome: 'network', httpStatus: null, detail: sanitised(reply.code) };
    case 'refused_address':
      return {
        outcome: 'refused_address',
        httpStatus: null,
        detail: `private address ${sanitised(reply.address)}`,
      };
    case 'reply': {
      const detail = sanitised(reply.body) || null;
      if (reply.status < 200 || reply.status > 299)
        return { outcome: 'http_error', httpStatus: reply.status, detail };
      const accepted = kind === 'event' || reply.body.includes('success');
      return { outcome: accepted ? 'delivered' : 'bad_reply', httpStatus: reply.status, detail };
    }
  }
}

/** Control characters out, white space collapsed, clipped: a shop's reply is hostile text. */
function sanitised(text: string): string {
  const flat = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > DETAIL_CHARS ? `${flat.slice(0, DETAIL_CHARS - 1)}…` : flat;
}
