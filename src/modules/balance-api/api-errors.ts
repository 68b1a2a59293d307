// The balance API's errors: stable codes with their HTTP status and a fixed message. Callers see only these;
// what went wrong inside is logged, never sent.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/request-body.ts';

export const API_ERRORS = {
  'auth.unauthorized': [401, 'missing or wrong bearer token'],
  'route.not_found': [404, 'no such route'],
  'route.method_not_allowed': [405, 'method not allowed on this route'],
  'request.body_too_large': [413, 'request body too large'],
  'request.invalid_json': [400, 'request body is not a JSON object'],
  'request.invalid': [400, 'request fields are missing or malformed'],
  'request.invalid_query': [400, 'query parameters are malformed'],
  'customer.invalid_id': [400, 'customer id must be <channel>:<external id>'],
  'customer.not_found': [404, 'no such customer'],
  'customer.channel_not_supported': [422, 'orders are created for api customers only'],
  'order.invalid_number': [400, 'malformed order number'],
  'order.not_found': [404, 'no such order'],
  'amount.invalid': [400, 'amount must be a positive yuan string with two decimals, e.g. "12.34"'],
  'amount.out_of_range': [422, 'amount outside the accepted recharge range'],
  'provider.not_enabled': [422, 'this provider is not enabled'],
  'idempotency.key_missing': [400, 'Idempotency-Key header (1-255 printable characters) is required'],
  'idempotency.key_reused': [422, 'Idempotency-Key was used for another request'],
  'balance.insufficient': [409, 'balance is lower than the amount'],
  'order.too_many_pending': [409, 'the customer has too many pending orders'],
  'order.too_many_recent': [429, 'too many unpaid orders recently; retry later'],
  'order.amounts_busy': [503, 'every payable amount near this one is taken; retry shortly'],
  'mailbox.down': [503, 'payments cannot be seen right now; orders are refused'],
  internal: [500, 'internal error'],
} as const satisfies Record<string, readonly [number, string]>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** The `{error: {code, message}}` body of a code, and its status. */
export function apiError(code: ApiErrorCode): {
  status: number;
  body: { error: { code: string; message: string } };
} {
  const [status, message] = API_ERRORS[code];
  return { status, body: { error: { code, message } } };
}

export function sendApiError(response: ServerResponse, code: ApiErrorCode, headers = {}): void {
  const { status, body } = apiError(code);
  sendJson(response, status, body, headers);
}

/** An expected refusal, thrown by the request parsers and answered by the routes' one error boundary. */
export class ApiRefusal extends Error {
  constructor(readonly code: ApiErrorCode) {
    super(code);
  }
}
