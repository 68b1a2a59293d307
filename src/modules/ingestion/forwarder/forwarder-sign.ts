// SmsForwarder's webhook sign, as its sender computes it, and a constant-time check of a received one.
//
// pppscn/SmsForwarder `app/src/main/kotlin/cn/ppps/forwarder/utils/sender/WebhookUtils.kt`:
//   stringToSign = "$timestamp\n" + secret;  mac = HmacSHA256(key = secret)
//   sign = URLEncoder.encode(Base64.encode(mac.doFinal(stringToSign), NO_WRAP), "UTF-8")
// The sign covers the timestamp and nothing else: the content is protected only by HTTPS.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The sign as the sender puts it in its body: URL-encoded base64. On base64's alphabet Java's URLEncoder
 * and encodeURIComponent agree (`+`, `/`, `=` become `%2B`, `%2F`, `%3D`).
 */
export function forwarderSign(secret: string, timestamp: string): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest('base64');
  return encodeURIComponent(mac);
}

/** Compares in constant time; digests first, so neither the length nor a prefix of the sign leaks. */
export function signMatches(received: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(received), digest(expected));
}
