// Creates a batch of orders in one transaction: the limits counted, each requested amount allocated in one
// statement, the photos queued; a full amount window alarms the admins.

import type { BatchLimits } from '../../shared/batch-calls.ts';
import type { Config } from '../../shared/config/config.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { customerNotices } from '../notify/customer-notifier.ts';
import type { Provider } from '../payments/notification/payment-notification.ts';
import { alarmWindowFull } from './amount-window-alarm.ts';
import type { CreateOrderOutcome } from './create-order.ts';
import type { Order } from './order.models.ts';
import { customersOf, type OrderCustomer } from './order-customers.ts';
import {
  type CreationRefusal,
  creationRefusal,
  NO_USAGE,
  ORDER_LIMIT_WINDOW_MS,
  withCreated,
} from './order-limits.ts';
import { newOrderNumber } from './order-number.ts';
import { orderPhoto } from './order-photo.ts';
import { type PayableWindow, payableCandidates, payableWindow } from './payable-amount.ts';

export interface OrderingDeps {
  transaction: Transaction;
  recharge: Config['recharge'];
  timeZone: string;
  /** Who hears that an amount window is full, and how many notices a minute at most. */
  alarm: { admins: AdminAudience; floodPerMinute: number };
  clock: Clock;
  randomIndex: (n: number) => number;
  mailboxState: () => MailboxState;
  /** Told the outbox ids of messages the customer waits for. */
  onQueued: (outboxIds: readonly number[]) => void;
}

export interface OrderRequest {
  customer: OrderCustomer;
  requestedFen: number;
  /** The collection code to pay (PAYEE_QR_URL_WECHAT set), or null: the payee has one. */
  provider: Provider | null;
  mailboxDelayed: boolean;
}

export interface WantedOrder {
  orderNo: string;
  customerId: number;
  requestedFen: number;
  provider: Provider | null;
}

/**
 * How orders made at once are batched: fifty to a transaction, and two transactions at a time, the rest
 * waiting to go together in the next (fifty orders in one transaction cost far less than in fifty).
 */
export const ORDER_BATCHES: BatchLimits = { maxBatch: 50, maxInFlight: 2 };

/** Attempts at a free amount when the one found was taken meanwhile. */
const ALLOCATION_ATTEMPTS = 3;

export async function createOrdersTogether(
  deps: OrderingDeps,
  requests: readonly OrderRequest[],
): Promise<CreateOrderOutcome[]> {
  const { outcomes, outboxIds } = await deps.transaction(async (store) => {
    const now = deps.clock.now();
    const { usage, customerIdOf, recipientOf } = await customersOf(
      store,
      requests,
      new Date(now.getTime() - ORDER_LIMIT_WINDOW_MS),
    );
    const moment = {
      createdAt: now,
      expiresAt: new Date(now.getTime() + deps.recharge.orderTtlSeconds * 1000),
    };
    // In request order, each counting the orders granted before it.
    const wanted = requests.map((request): WantedOrder | CreationRefusal => {
      const customerId = customerIdOf(request);
      const used = usage.get(customerId) ?? NO_USAGE;
      const refusal = creationRefusal(used, deps.recharge.limits, now);
      if (refusal) return refusal;
      usage.set(customerId, withCreated(used, now));
      return { orderNo: newOrderNumber(deps.randomIndex), customerId, ...request };
    });
    const outcomes = await allocate(deps, store, wanted, moment);
    const photos = outcomes.flatMap((outcome, i) => {
      const request = requests[i];
      if (outcome.kind !== 'created' || !request) return [];
      return customerNotices(recipientOf(request), (texts) =>
        orderPhoto(request, outcome.order, texts, deps.timeZone),
      );
    });
    return { outcomes, outboxIds: await store.outbox.enqueue(photos) };
  });
  if (outboxIds.length > 0) deps.onQueued(outboxIds);
  return outcomes;
}

/**
 * One allocation per requested amount and provider, sent together: each sees the orders inserted before it.
 * Also how other use cases (shops' orders) allocate theirs.
 */
export async function allocate(
  deps: Pick<OrderingDeps, 'recharge' | 'alarm'>,
  store: Store,
  wanted: ReadonlyArray<WantedOrder | CreationRefusal>,
  moment: { createdAt: Date; expiresAt: Date },
): Promise<CreateOrderOutcome[]> {
  const groups = new Map<
    string,
    { requestedFen: number; provider: Provider | null; orders: WantedOrder[] }
  >();
  for (const want of wanted) {
    if ('code' in want) continue;
    const key = `${want.requestedFen}:${want.provider ?? 'any'}`;
    const group = groups.get(key) ?? { requestedFen: want.requestedFen, provider: want.provider, orders: [] };
    group.orders.push(want);
    groups.set(key, group);
  }
  const inserted = await Promise.all(
    [...groups.values()].map(({ requestedFen, provider, orders }) =>
      store.orders.insertAtFreeAmounts(
        { requestedFen, provider, ...moment },
        orders,
        windowFor(deps, requestedFen),
      ),
    ),
  );
  const created = new Map(inserted.flat().map((order) => [order.orderNo, order]));
  const outcomes: CreateOrderOutcome[] = [];
  for (const want of wanted) {
    if ('code' in want) {
      outcomes.push({ kind: 'rejected', ...want });
      continue;
    }
    // Left without an amount: every amount is taken, or one collided with an order committed meanwhile.
    const order =
      created.get(want.orderNo) ??
      (await allocateOrder(deps, store, { ...want, ...moment }, ALLOCATION_ATTEMPTS - 1));
    if (order) outcomes.push({ kind: 'created', order });
    else {
      outcomes.push({ kind: 'rejected', code: 'order.amounts_busy' });
      await alarmAmountsBusy(deps, store, want.requestedFen, moment.createdAt);
    }
  }
  return outcomes;
}

/** One order at a free payable amount (tried `attempts` times: one found free may be taken meanwhile); null when none. */
async function allocateOrder(
  deps: Pick<OrderingDeps, 'recharge'>,
  store: Store,
  order: WantedOrder & { createdAt: Date; expiresAt: Date },
  attempts = ALLOCATION_ATTEMPTS,
): Promise<Order | null> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const [row] = await store.orders.insertAtFreeAmounts(order, [order], windowFor(deps, order.requestedFen));
    if (row) return row;
  }
  return null;
}

/** Tells the admins that every payable amount near `requestedFen` is held by a pending order. */
async function alarmAmountsBusy(
  deps: Pick<OrderingDeps, 'recharge' | 'alarm'>,
  store: Store,
  requestedFen: number,
  now: Date,
): Promise<void> {
  const { offsetMaxFen, offsetDirection } = deps.recharge;
  const amounts = payableCandidates(requestedFen, offsetMaxFen, offsetDirection);
  await alarmWindowFull(store, deps.alarm, { requestedFen, amounts, now });
}

function windowFor(deps: Pick<OrderingDeps, 'recharge'>, requestedFen: number): PayableWindow {
  return payableWindow(requestedFen, deps.recharge.offsetMaxFen, deps.recharge.offsetDirection);
}
