// The events POSTed to EVENTS_WEBHOOK_URL, shaped in one place: `{id, type, created_at, data}`, amounts as yuan
// strings with two decimals and customers as `<channel>:<external id>`, as the balance API names them.
import { formatFen } from '../../shared/money.ts';
import type { CustomerChannel } from '../customers/customer.models.ts';

export type EventType = 'payment.credited' | 'balance.debited' | 'order.refunded' | 'review.decided';

/** What happened, before it has an id and a time. */
export interface EventFact {
  type: EventType;
  data: Record<string, unknown>;
}

export interface EventBody extends EventFact {
  id: string;
  created_at: string;
}

type CustomerIdentity = { channel: CustomerChannel; externalId: string };

/** `telegram:12345`, `api:user-42`: the balance API's customer id. */
export function customerRef(customer: CustomerIdentity): string {
  return `${customer.channel}:${customer.externalId}`;
}

export function eventBody(id: string, at: Date, fact: EventFact): EventBody {
  return { id, type: fact.type, created_at: at.toISOString(), data: fact.data };
}

export function paymentCredited(credit: {
  customer: CustomerIdentity;
  orderNo: string | null;
  paymentId: number;
  amountFen: number;
  balanceFen: number;
  actor: string;
}): EventFact {
  return {
    type: 'payment.credited',
    data: {
      customer: customerRef(credit.customer),
      order_no: credit.orderNo,
      payment_id: credit.paymentId,
      amount: formatFen(credit.amountFen),
      balance: formatFen(credit.balanceFen),
      by: credit.actor,
    },
  };
}

export function balanceDebited(debit: {
  customer: CustomerIdentity;
  debitId: number;
  amountFen: number;
  balanceFen: number;
  reason: string;
}): EventFact {
  return {
    type: 'balance.debited',
    data: {
      customer: customerRef(debit.customer),
      debit_id: debit.debitId,
      amount: formatFen(debit.amountFen),
      balance: formatFen(debit.balanceFen),
      reason: debit.reason,
    },
  };
}

export function orderRefunded(refund: {
  customer: CustomerIdentity;
  orderNo: string;
  amountFen: number;
  balanceFen: number;
  reason: string;
  actor: string;
}): EventFact {
  return {
    type: 'order.refunded',
    data: {
      customer: customerRef(refund.customer),
      order_no: refund.orderNo,
      amount: formatFen(refund.amountFen),
      balance: formatFen(refund.balanceFen),
      reason: refund.reason,
      by: refund.actor,
    },
  };
}

/** An admin settled a payment held for review: approved (credited to `customer`), rejected or refunded. */
export function reviewDecided(decision: {
  paymentId: number;
  decision: 'approve' | 'reject' | 'refund';
  amountFen: number;
  orderNo: string | null;
  customer: CustomerIdentity | null;
  actor: string;
}): EventFact {
  return {
    type: 'review.decided',
    data: {
      payment_id: decision.paymentId,
      decision: decision.decision,
      amount: formatFen(decision.amountFen),
      order_no: decision.orderNo,
      customer: decision.customer ? customerRef(decision.customer) : null,
      by: decision.actor,
    },
  };
}
