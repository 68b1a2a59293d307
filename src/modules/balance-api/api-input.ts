// What a caller of the balance API sends, parsed strictly: the customer id in the path, yuan amounts, the
// Idempotency-Key header, and bounded JSON bodies checked with zod. Anything else is refused with a code.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { MAX_STORED_FEN, parseYuanToFen } from '../../shared/money.ts';
import { BodyTooLarge, readBody } from '../http/request-body.ts';
import { isOrderNumber, normaliseForOrderNumbers } from '../orders/order-number.ts';
import { ApiRefusal } from './api-errors.ts';

/** Requests of this API are a few fields: anything larger is refused before it is read. */
export const MAX_BODY_BYTES = 4096;

export type CustomerIdentity = { channel: 'telegram' | 'api' | 'shop'; externalId: string };

/** Per channel: a Telegram user id, the operator's own id of a user, a shop's pid. */
const EXTERNAL_IDS = {
  telegram: /^[1-9]\d{0,14}$/,
  api: /^[A-Za-z0-9._@:-]{1,64}$/,
  shop: /^\d{1,18}$/,
} as const;

/** `telegram:12345`, `api:user-42` (a path segment, percent-decoded once). */
export function parseCustomerId(text: string): CustomerIdentity {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    throw new ApiRefusal('customer.invalid_id');
  }
  const at = decoded.indexOf(':');
  const channel = decoded.slice(0, at);
  const externalId = decoded.slice(at + 1);
  if (at < 0 || !Object.hasOwn(EXTERNAL_IDS, channel)) throw new ApiRefusal('customer.invalid_id');
  if (!EXTERNAL_IDS[channel as keyof typeof EXTERNAL_IDS].test(externalId)) {
    throw new ApiRefusal('customer.invalid_id');
  }
  return { channel: channel as CustomerIdentity['channel'], externalId };
}

export function parseOrderNumber(text: string): string {
  const orderNo = normaliseForOrderNumbers(text);
  if (!isOrderNumber(orderNo)) throw new ApiRefusal('order.invalid_number');
  return orderNo;
}

/** `"12.34"` → 1234: the wire format has exactly two decimals and no sign; the value is read by the one parser. */
export const yuanAmount = z.string().transform((text, context) => {
  const parsed = /^(0|[1-9]\d{0,11})\.\d{2}$/.test(text) ? parseYuanToFen(text) : null;
  if (!parsed?.ok || parsed.fen <= 0 || parsed.fen > MAX_STORED_FEN) {
    context.addIssue({ code: 'custom', message: 'amount.invalid' });
    return z.NEVER;
  }
  return parsed.fen;
});

/** The Idempotency-Key header: 1–255 printable ASCII characters. */
export function idempotencyKeyOf(request: IncomingMessage): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new ApiRefusal('idempotency.key_missing');
  }
  return key;
}

/** The body as JSON, bounded, checked against `schema`; a bad amount is named as such. */
export async function readJsonBody<T>(request: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let value: unknown;
  try {
    value = JSON.parse((await readBody(request, MAX_BODY_BYTES)).toString('utf8'));
  } catch (error) {
    throw new ApiRefusal(error instanceof BodyTooLarge ? 'request.body_too_large' : 'request.invalid_json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiRefusal('request.invalid_json');
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const badAmount = parsed.error.issues.some((issue) => issue.message === 'amount.invalid');
  throw new ApiRefusal(badAmount ? 'amount.invalid' : 'request.invalid');
}
