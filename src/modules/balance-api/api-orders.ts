// Use cases: the operator's app creates an order for one of its customers (the /recharge rules: range, limits,
// a unique payable amount) and reads any order by its number.
import type { Store } from '../../shared/db/store.ts';
import { formatFen } from '../../shared/money.ts';
import { customerRef } from '../events/event-bodies.ts';
import type { CreateOrder, CreateOrderOutcome } from '../orders/create-order.ts';
import type { Order } from '../orders/order.models.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { type ApiErrorCode, apiError } from './api-errors.ts';

/** Where orders are paid: the collection codes, and the checkout pages' base URL (PUBLIC_URL) when set. */
export interface PaySettings {
  payeeQrUrl: string;
  payeeQrUrlWechat: string | null;
  publicUrl: string | null;
}

export function createApiOrders(deps: {
  createOrder: CreateOrder;
  store: Pick<Store, 'orders' | 'customers'>;
  pay: PaySettings;
}) {
  const { pay } = deps;
  return {
    async create(request: { externalId: string; amountFen: number; provider: Provider | undefined }) {
      const provider = providerOf(pay, request.provider);
      if (provider === 'not_enabled') return apiError('provider.not_enabled');
      const customer = { channel: 'api' as const, externalId: request.externalId };
      const outcome = await deps.createOrder(customer, request.amountFen, provider);
      if (outcome.kind === 'created') {
        return { status: 201, body: { order: orderView(pay, outcome.order, `api:${request.externalId}`) } };
      }
      return refusalOf(outcome);
    },

    async find(orderNo: string) {
      const order = await deps.store.orders.findByNumber(orderNo);
      if (!order) return null;
      const customer = await deps.store.customers.find(order.customerId);
      return { order: orderView(pay, order, customer ? customerRef(customer) : null) };
    },
  };
}

/** Without PAYEE_QR_URL_WECHAT an order has no provider (one code); with it, every API order has one. */
function providerOf(pay: PaySettings, asked: Provider | undefined): Provider | null | 'not_enabled' {
  if (pay.payeeQrUrlWechat === null) return asked === 'wechat' ? 'not_enabled' : null;
  return asked ?? 'alipay';
}

function refusalOf(outcome: Exclude<CreateOrderOutcome, { kind: 'created' }>) {
  const code: ApiErrorCode = outcome.code === 'amount.invalid' ? 'amount.out_of_range' : outcome.code;
  const refusal = apiError(code);
  if (outcome.code !== 'order.too_many_recent') return refusal;
  return { ...refusal, body: { error: { ...refusal.body.error, retry_at: outcome.retryAt.toISOString() } } };
}

function orderView(pay: PaySettings, order: Order, customer: string | null) {
  return {
    order_no: order.orderNo,
    customer,
    status: order.status,
    amount: formatFen(order.requestedFen),
    payable_amount: formatFen(order.payableFen),
    provider: order.provider,
    qr_content: order.provider === 'wechat' ? pay.payeeQrUrlWechat : pay.payeeQrUrl,
    checkout_url: pay.publicUrl ? `${pay.publicUrl}/pay/${order.orderNo}` : null,
    created_at: order.createdAt.toISOString(),
    expires_at: order.expiresAt.toISOString(),
    closed_at: order.closedAt?.toISOString() ?? null,
  };
}
