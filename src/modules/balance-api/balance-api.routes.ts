// The balance API's routes under /api/v1 (SPEC §8), on when API_TOKEN is set. Handlers only translate: check
// the token, parse the path, query and body, call one use case, answer JSON; every refusal is a stable code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Logger } from '../../shared/ports.ts';
import { queryOf, sendJson } from '../http/request-body.ts';
import type { Route } from '../http/router.ts';
import { ApiRefusal, sendApiError } from './api-errors.ts';
import {
  idempotencyKeyOf,
  parseCustomerId,
  parseOrderNumber,
  readJsonBody,
  yuanAmount,
} from './api-input.ts';
import type { createApiOrders } from './api-orders.ts';
import { type createCustomerAccount, LEDGER_PAGE } from './customer-account.ts';
import type { createDebitBalance } from './debit-balance.ts';

export interface BalanceApi {
  isAuthorised: (request: IncomingMessage) => boolean;
  account: ReturnType<typeof createCustomerAccount>;
  orders: ReturnType<typeof createApiOrders>;
  debitBalance: ReturnType<typeof createDebitBalance>;
  logger: Logger;
}

const PREFIX = '/api/v1/';
const reason = z.string().regex(/^[^\p{Cc}]{1,200}$/u);
const debitBody = z.strictObject({ amount: yuanAmount, reason: reason.transform((text) => text.trim()) });
const orderBody = z.strictObject({
  customer: z.string().max(100),
  amount: yuanAmount,
  provider: z.enum(['alipay', 'wechat']).optional(),
});

type Handler = (
  api: BalanceApi,
  request: IncomingMessage,
  response: ServerResponse,
  ids: string[],
) => Promise<void>;

export function balanceApiRoutes(api: BalanceApi): Route[] {
  const handle = (request: IncomingMessage, response: ServerResponse) => answer(api, request, response);
  return [
    { method: 'GET', path: `${PREFIX}*`, handle },
    { method: 'POST', path: `${PREFIX}*`, handle },
  ];
}

/** The one error boundary: refusals answer their code, anything else is logged and answers `internal`. */
async function answer(api: BalanceApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (!api.isAuthorised(request)) {
    request.resume();
    return sendApiError(response, 'auth.unauthorized', { 'www-authenticate': 'Bearer' });
  }
  try {
    const [handler, ids] = route(request);
    await handler(api, request, response, ids);
  } catch (error) {
    if (error instanceof ApiRefusal) return sendApiError(response, error.code);
    api.logger.error({ err: error, path: request.url?.split('?')[0] }, 'balance API request failed');
    sendApiError(response, 'internal');
  }
}

/** The handler of the path (segments after /api/v1/), and the path's ids. */
function route(request: IncomingMessage): [Handler, string[]] {
  const segments = (request.url ?? '').split('?')[0]?.slice(PREFIX.length).split('/') ?? [];
  const [collection, id, sub] = segments;
  const table: Record<string, Partial<Record<string, Handler>>> = {
    'customers/:id': { GET: getCustomer },
    'customers/:id/ledger': { GET: getLedger },
    'customers/:id/debits': { POST: postDebit },
    orders: { POST: postOrder },
    'orders/:id': { GET: getOrder },
  };
  const shape = [collection, id === undefined ? null : ':id', sub].filter((part) => part != null).join('/');
  const handlers = segments.length <= 3 && id !== '' ? table[shape] : undefined;
  if (!handlers) throw new ApiRefusal('route.not_found');
  const handler = handlers[request.method === 'HEAD' ? 'GET' : (request.method ?? '')];
  if (!handler) throw new ApiRefusal('route.method_not_allowed');
  return [handler, id === undefined ? [] : [id]];
}

const getCustomer: Handler = async (api, _request, response, [id = '']) => {
  const summary = await api.account.summary(parseCustomerId(id));
  if (!summary) throw new ApiRefusal('customer.not_found');
  sendJson(response, 200, summary);
};

const getLedger: Handler = async (api, request, response, [id = '']) => {
  const customer = parseCustomerId(id);
  const page = await api.account.ledger(customer, pageOf(queryOf(request)));
  if (!page) throw new ApiRefusal('customer.not_found');
  sendJson(response, 200, page);
};

const postDebit: Handler = async (api, request, response, [id = '']) => {
  const customer = parseCustomerId(id);
  const idempotencyKey = idempotencyKeyOf(request);
  const { amount, reason } = await readJsonBody(request, debitBody);
  const answer = await api.debitBalance({ customer, amountFen: amount, reason, idempotencyKey });
  sendJson(response, answer.status, answer.body, answer.replayed ? { 'idempotent-replayed': 'true' } : {});
};

const postOrder: Handler = async (api, request, response) => {
  const body = await readJsonBody(request, orderBody);
  const customer = parseCustomerId(body.customer);
  if (customer.channel !== 'api') throw new ApiRefusal('customer.channel_not_supported');
  const created = await api.orders.create({ ...customer, amountFen: body.amount, provider: body.provider });
  sendJson(response, created.status, created.body);
};

const getOrder: Handler = async (api, _request, response, [id = '']) => {
  const found = await api.orders.find(parseOrderNumber(id));
  if (!found) throw new ApiRefusal('order.not_found');
  sendJson(response, 200, found);
};

/** `?limit=1..100&before=<entry id>`. */
function pageOf(query: URLSearchParams): { limit: number; before: number | null } {
  const limit = query.get('limit');
  const before = query.get('before');
  const positive = (text: string) => /^[1-9]\d{0,14}$/.test(text);
  if ((limit !== null && !positive(limit)) || (before !== null && !positive(before))) {
    throw new ApiRefusal('request.invalid_query');
  }
  const size = limit === null ? LEDGER_PAGE.default : Number(limit);
  if (size > LEDGER_PAGE.max) throw new ApiRefusal('request.invalid_query');
  return { limit: size, before: before === null ? null : Number(before) };
}
