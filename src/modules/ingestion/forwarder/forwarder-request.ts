// Reads an SmsForwarder webhook body — its default form or a JSON template — into its fields, refusing
// anything else. Which decoding the sign went through decides what it is compared with (see forwarder-sign.ts).
//
// pppscn/SmsForwarder `WebhookUtils.kt`: with no template (or a `k=[v]&…` one) the fields go out through
// XHttp2's `params` → Retrofit `@FormUrlEncoded @FieldMap` (xuexiangjys/XHttp2 `api/ApiService.java`), which
// form-encodes every value once more: the already URL-encoded sign arrives encoded twice, and one form
// decoding gives back the URL-encoded base64. A template starting with `{` is sent as JSON with `[sign]`
// replaced by that same URL-encoded base64 (and `[content]` JSON-escaped). Either way the field holds
// URL-encoded base64 once decoded as its shape says.

export interface ForwarderRequest {
  /** The package name of the app whose notification it is. */
  from: string;
  /** The forwarder's rendered template: package, text, title, `UID：…`, time, device lines. */
  content: string;
  /** Milliseconds since the epoch as the sender wrote them: the sign is computed over these digits. */
  timestamp: string;
  sign: string;
  shape: 'form' | 'json';
}

const TIMESTAMP = /^\d{10,16}$/;
const MAX_FROM_CHARS = 255;
const MAX_SIGN_CHARS = 128;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The request's fields, or null when the body is not what SmsForwarder sends. */
export function readForwarderRequest(body: Buffer): ForwarderRequest | null {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return null;
  }
  const fields = text.trimStart().startsWith('{') ? jsonFields(text) : formFields(text);
  return fields && checked(fields);
}

function checked(
  fields: Omit<ForwarderRequest, 'timestamp'> & { timestamp: unknown },
): ForwarderRequest | null {
  const timestamp =
    typeof fields.timestamp === 'number' && Number.isSafeInteger(fields.timestamp)
      ? String(fields.timestamp)
      : fields.timestamp;
  if (typeof timestamp !== 'string' || !TIMESTAMP.test(timestamp)) return null;
  if (!fields.from || fields.from.length > MAX_FROM_CHARS) return null;
  if (!fields.sign || fields.sign.length > MAX_SIGN_CHARS) return null;
  return { ...fields, timestamp };
}

type Fields = Omit<ForwarderRequest, 'timestamp'> & { timestamp: unknown };

function formFields(text: string): Fields | null {
  const params = new URLSearchParams(text);
  const one = (name: string): string | null => {
    const values = params.getAll(name);
    return values.length === 1 ? (values[0] ?? null) : null;
  };
  const [from, content, timestamp, sign] = ['from', 'content', 'timestamp', 'sign'].map(one);
  if (from == null || content == null || sign == null) return null;
  return { from, content, timestamp, sign, shape: 'form' };
}

function jsonFields(text: string): Fields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const record = parsed as Record<string, unknown>;
  const { from, sign, timestamp } = record;
  const content = contentOf(record);
  if (typeof from !== 'string' || typeof sign !== 'string' || content === null) return null;
  return { from, content, timestamp, sign, shape: 'json' };
}

/**
 * `content` when the template sends it; otherwise the notification rebuilt from `[org_content]` and `[title]`
 * (and `[receive_time]`) in the forwarder's default layout, so the same rules read it structurally.
 */
function contentOf(record: Record<string, unknown>): string | null {
  const { content, org_content: text, title, receive_time: time, from } = record;
  if (typeof content === 'string') return content;
  if (typeof text !== 'string' || typeof title !== 'string' || typeof from !== 'string') return null;
  // The title is one line: a line break in it (a contact's name) must not move the layout's title line.
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
  const timeLine = typeof time === 'string' ? oneLine(time) : '';
  return [oneLine(from), text, oneLine(title), 'UID：0', timeLine].join('\n');
}
