// A test double of SmsForwarder's webhook sender, built the way the app builds its requests:
// pppscn/SmsForwarder `app/src/main/kotlin/cn/ppps/forwarder/utils/sender/WebhookUtils.kt` (sign, default
// form, JSON template), `entity/MsgInfo.kt` (the default content template) and the HTTP client under it,
// xuexiangjys/XHttp2 `xhttp2-lib/src/main/java/com/xuexiang/xhttp2/api/ApiService.java` (`@FormUrlEncoded
// @FieldMap`: OkHttp's FormBody encodes each value once more).
import { createHmac, randomBytes } from 'node:crypto';
import { chinaTime } from './notifications.ts';

/** One app notification, as MsgInfo holds it: package (`from`), text (`content`), title (`simInfo`). */
export interface PhoneNotification {
  packageName: string;
  text: readonly string[];
  title: string;
  at?: Date;
  uid?: number;
}

/**
 * MsgInfo.getContentForSend for an app notification with the default template:
 * `{{来源号码}}\n{{短信内容}}\n{{卡槽信息}}\nUID：{{UID}}\n{{接收时间}}\n{{设备名称}}`, trimmed.
 */
export function defaultContent(notification: PhoneNotification, device = 'Phone1'): string {
  const at = notification.at ?? new Date();
  const uid = notification.uid ?? randomBytes(3).readUIntBE(0, 3);
  return [
    notification.packageName,
    ...notification.text,
    notification.title,
    `UID：${uid}`,
    chinaTime(at),
    device,
  ]
    .join('\n')
    .trim();
}

/**
 * WebhookUtils: `stringToSign = "$timestamp\n" + secret`, HmacSHA256 keyed with the secret, then
 * `URLEncoder.encode(String(Base64.encode(signData, Base64.NO_WRAP)), "UTF-8")`.
 */
export function kotlinSign(secret: string, timestamp: number): string {
  const signData = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(Buffer.from(`${timestamp}\n${secret}`, 'utf8'))
    .digest();
  return javaUrlEncode(signData.toString('base64'));
}

/** java.net.URLEncoder.encode(s, "UTF-8"): keeps `a-zA-Z0-9.-*_`, space → `+`, the rest %XX of UTF-8. */
export function javaUrlEncode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[A-Za-z0-9.\-*_]/.test(char)) return char;
      if (char === ' ') return '+';
      return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/**
 * OkHttp 3 FormBody.Builder.add: `canonicalize(value, FORM_ENCODE_SET, alreadyEncoded = false, strict = false,
 * plusIsSpace = true, asciiOnly = true)` — `%`, `+`, controls, non-ASCII and FORM_ENCODE_SET are %XX-encoded.
 */
export function okHttpFormEncode(value: string): string {
  const FORM_ENCODE_SET = ' "\':;<=>@[]^`{}|/\\?#&!$(),~';
  return [...value]
    .map((char) => {
      const code = char.codePointAt(0) ?? 0;
      const encode =
        code < 0x20 || code >= 0x7f || FORM_ENCODE_SET.includes(char) || char === '%' || char === '+';
      if (!encode) return char;
      return [...Buffer.from(char, 'utf8')]
        .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
        .join('');
    })
    .join('');
}

/** The request SmsForwarder sends: where to, its content type and its bytes. */
export interface ForwarderPost {
  contentType: string;
  body: string;
}

/**
 * No template: `webParams = "from=[from]&content=[content]&timestamp=[timestamp]&sign=[sign]"`, each value
 * substituted raw and handed to `postRequest.params(key, value)` — form-encoded by OkHttp.
 */
export function defaultFormPost(options: {
  from: string;
  content: string;
  timestamp: number;
  sign: string;
}): ForwarderPost {
  const params: Array<[string, string]> = [
    ['from', options.from],
    ['content', options.content],
    ['timestamp', String(options.timestamp)],
    ['sign', options.sign],
  ];
  return {
    contentType: 'application/x-www-form-urlencoded',
    body: params.map(([key, value]) => `${okHttpFormEncode(key)}=${okHttpFormEncode(value)}`).join('&'),
  };
}

/** The JSON template the README tells operators to keep. */
export const JSON_TEMPLATE =
  '{"from":"[from]","content":"[content]","timestamp":"[timestamp]","sign":"[sign]"}';

/**
 * A template starting with `{`: `[from]` raw, `[content]` / `[org_content]` / `[title]` through escapeJson
 * (Gson's toJson without the quotes), `[timestamp]` and `[sign]` raw; sent with upJson
 * (`application/json; charset=utf-8`).
 */
export function jsonTemplatePost(
  template: string,
  options: {
    from: string;
    content: string;
    orgContent?: string;
    title?: string;
    receiveTime?: string;
    timestamp: number;
    sign: string;
  },
): ForwarderPost {
  const body = template
    .replaceAll('[from]', options.from)
    .replaceAll('[content]', gsonEscape(options.content))
    .replaceAll('[org_content]', gsonEscape(options.orgContent ?? ''))
    .replaceAll('[title]', gsonEscape(options.title ?? ''))
    .replaceAll('[receive_time]', options.receiveTime ?? '')
    .replaceAll('[timestamp]', String(options.timestamp))
    .replaceAll('[sign]', options.sign);
  return { contentType: 'application/json; charset=utf-8', body };
}

/** Gson's default string escaping (HTML-safe): quotes, backslash, controls, `<>&='`, U+2028/9. */
function gsonEscape(value: string): string {
  return JSON.stringify(value)
    .slice(1, -1)
    .replace(/[<>&=']/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/[\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** Posts like SmsForwarder's client: the body bytes, and the reply's status and text. */
export async function post(url: string, request: ForwarderPost): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': request.contentType },
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}
