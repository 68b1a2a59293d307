// Use case: the operator's app debits a customer's balance, once per Idempotency-Key. The customer's row is
// locked for the transaction, so debits (and refunds) of one customer run one after another and never take
// the balance below zero; the answer is stored with the debit, so a repeat gets it back unchanged.
import { createHash } from 'node:crypto';
import { isUniqueViolation } from '../../shared/db/database.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import { formatFen } from '../../shared/money.ts';
import type { Clock } from '../../shared/ports.ts';
import { balanceDebited, customerRef } from '../events/event-bodies.ts';
import { type ApiErrorCode, apiError } from './api-errors.ts';
import type { CustomerIdentity } from './api-input.ts';

export interface DebitRequest {
  customer: CustomerIdentity;
  amountFen: number;
  reason: string;
  idempotencyKey: string;
}

/** What the caller is answered; `replayed` when it is the stored answer of an earlier request. */
export interface DebitAnswer {
  status: number;
  body: unknown;
  replayed: boolean;
}

export function createDebitBalance(deps: { transaction: Transaction; clock: Clock; onQueued: () => void }) {
  return async function debitBalance(request: DebitRequest): Promise<DebitAnswer> {
    const requestHash = hashOf(request);
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await deps.transaction((store) =>
          debit(store, request, requestHash, deps.clock.now()),
        );
        if (answer.status === 201 && !answer.replayed) deps.onQueued();
        return answer;
      } catch (error) {
        // The key was stored meanwhile for another customer's request: the next attempt finds it.
        if (!isUniqueViolation(error) || attempt > 1) throw error;
      }
    }
  };
}

async function debit(
  store: Store,
  request: DebitRequest,
  requestHash: string,
  at: Date,
): Promise<DebitAnswer> {
  const { channel, externalId } = request.customer;
  const customer = await store.customers.findByIdentity(channel, externalId, true);
  if (!customer) return refused('customer.not_found');
  const stored = await store.idempotencyKeys.storedAnswer(request.idempotencyKey);
  if (stored) {
    if (stored.requestHash !== requestHash) return refused('idempotency.key_reused');
    return { status: stored.status, body: stored.body, replayed: true };
  }
  // Refused without storing the key: nothing changed, and the same key may debit once the balance allows.
  if (customer.balanceFen < request.amountFen) return refused('balance.insufficient');
  const debitId = await store.balanceApi.appendDebit({
    customerId: customer.id,
    amountFen: request.amountFen,
    reason: request.reason,
    at,
  });
  const { balanceFen } = await store.customers.addToBalance(customer.id, -request.amountFen);
  const body = {
    debit: {
      id: debitId,
      customer: customerRef(customer),
      amount: formatFen(request.amountFen),
      reason: request.reason,
      balance: formatFen(balanceFen),
      created_at: at.toISOString(),
    },
  };
  await store.idempotencyKeys.storeAnswer(request.idempotencyKey, {
    customerId: customer.id,
    requestHash,
    status: 201,
    body,
  });
  const fact = balanceDebited({
    customer,
    debitId,
    amountFen: request.amountFen,
    balanceFen,
    reason: request.reason,
  });
  await store.events.queue([fact], at);
  return { status: 201, body, replayed: false };
}

function refused(code: ApiErrorCode): DebitAnswer {
  return { ...apiError(code), replayed: false };
}

/** The request as the key binds it: the same key with another customer, amount or reason is another request. */
function hashOf(request: DebitRequest): string {
  const { channel, externalId } = request.customer;
  return createHash('sha256')
    .update(JSON.stringify([channel, externalId, request.amountFen, request.reason]))
    .digest('hex');
}
