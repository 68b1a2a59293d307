// The signature of an event POSTed to EVENTS_WEBHOOK_URL: `Mailpay-Signature: t=<unix>,v1=<hex>`, where hex
// is HMAC-SHA256 of "<t>.<body>" under EVENTS_WEBHOOK_SECRET (Stripe's scheme: the time stops replays).
import { createHmac } from 'node:crypto';

export function eventSignatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return `t=${t},v1=${v1}`;
}
