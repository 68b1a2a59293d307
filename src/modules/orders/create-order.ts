// Use case: a customer asks to recharge an amount → an order with a unique payable amount and its QR photo.

import { batchCalls } from '../../shared/batch-calls.ts';
import type { Config } from '../../shared/config/config.ts';
import type { Db } from '../../shared/db/database.ts';
import { isUniqueViolation } from '../../shared/db/database.ts';
import { inTransaction, type Store } from '../../shared/db/store.ts';
import { parseYuanToFen } from '../../shared/money.ts';
import type { Clock, MailboxState } from '../../shared/ports.ts';
import type { CustomerProfile } from '../customers/telegram-customers.repository.ts';
import { adminAudienceOf } from '../notify/admin-audience.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import { type CustomerTexts, customerNotices } from '../notify/customer-notifier.ts';
import { formatLocalTime } from '../notify/customer-texts.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';
import type { OutboxMessage } from '../outbox/outbox-message.ts';
import {
  type CreationRefusal,
  creationRefusal,
  NO_USAGE,
  ORDER_LIMIT_WINDOW_MS,
  withCreated,
} from './order-limits.ts';
import { newOrderNumber } from './order-number.ts';
import type { OrderRow } from './orders.repository.ts';
import { payableCandidates } from './payable-amount.ts';

export type CreateOrderOutcome =
  | { kind: 'created'; order: OrderRow }
  | {
      kind: 'rejected';
      code: 'amount.invalid' | 'order.too_many_pending' | 'order.amounts_busy' | 'mailbox.down';
    }
  /** MAX_ORDERS_PER_HOUR unpaid orders created in the last hour; more from `retryAt`. */
  | { kind: 'rejected'; code: 'order.too_many_recent'; retryAt: Date };

/** Attempts when a freshly drawn order number is already taken. */
const MAX_ATTEMPTS = 5;
/** Orders created in one transaction at most: more at once go in several, side by side. */
const MAX_ORDERS_PER_TRANSACTION = 50;
/** Attempts at a free amount when the one found was taken meanwhile. */
const ALLOCATION_ATTEMPTS = 3;

export function createCreateOrder(deps: {
  db: Db;
  config: Config;
  clock: Clock;
  randomIndex: (n: number) => number;
  mailboxState: () => MailboxState;
  /** Told the outbox ids of messages the customer waits for. */
  onQueued: (outboxIds: readonly number[]) => void;
}) {
  const { db, config, clock } = deps;
  const { recharge } = config;

  const createTogether = batchCalls(createOrders, MAX_ORDERS_PER_TRANSACTION);

  /** Requests made at the same moment (a burst of customers) share one transaction. */
  return async function createOrder(
    customer: CustomerProfile,
    amountText: string,
  ): Promise<CreateOrderOutcome> {
    const parsed = parseYuanToFen(amountText);
    if (!parsed.ok || parsed.fen < recharge.minFen || parsed.fen > recharge.maxFen) {
      return { kind: 'rejected', code: 'amount.invalid' };
    }
    const mailboxDelayed = deps.mailboxState() === 'down';
    if (mailboxDelayed && recharge.whenMailboxDown === 'refuse')
      return { kind: 'rejected', code: 'mailbox.down' };
    return createTogether({ customer, requestedFen: parsed.fen, mailboxDelayed });
  };

  /**
   * Creates the orders in one transaction. A freshly drawn order number that is taken fails it: it runs
   * again with new numbers. Anything else that fails it is retried one request at a time, so a single
   * bad request fails alone.
   */
  async function createOrders(
    requests: readonly OrderRequest[],
  ): Promise<Array<PromiseSettledResult<CreateOrderOutcome>>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcomes = await createInOneTransaction(requests);
        return outcomes.map((value) => ({ status: 'fulfilled', value }));
      } catch (error) {
        if (isUniqueViolation(error) && attempt < MAX_ATTEMPTS) continue; // one in ~10^11: draw again
        if (requests.length === 1) return [{ status: 'rejected', reason: error }];
        return (await Promise.all(requests.map((request) => createOrders([request])))).flat();
      }
    }
  }

  async function createInOneTransaction(requests: readonly OrderRequest[]): Promise<CreateOrderOutcome[]> {
    const { outcomes, outboxIds } = await inTransaction(db, async (store) => {
      const profiles = new Map(requests.map((request) => [request.customer.id, request.customer]));
      const now = clock.now();
      // The upsert finds or creates the users' customers and locks their rows before their orders are
      // counted, so a customer's requests in other transactions (other processes) wait for this one to
      // commit, then count its orders.
      const settings = await store.telegramCustomers.upsertAll([...profiles.values()]);
      const customerIdOf = (request: OrderRequest) => {
        const customer = settings.get(request.customer.id);
        if (!customer) throw new Error(`no customer for Telegram user ${request.customer.id}`);
        return customer.id;
      };
      const usage = await store.orders.usageOf(
        [...settings.values()].map((customer) => customer.id),
        new Date(now.getTime() - ORDER_LIMIT_WINDOW_MS),
      );
      const moment = { createdAt: now, expiresAt: new Date(now.getTime() + recharge.orderTtlSeconds * 1000) };
      // In request order, each counting the orders granted before it.
      const wanted = requests.map((request): WantedOrder | CreationRefusal => {
        const customerId = customerIdOf(request);
        const used = usage.get(customerId) ?? NO_USAGE;
        const refusal = creationRefusal(used, recharge.limits, now);
        if (refusal) return refusal;
        usage.set(customerId, withCreated(used, now));
        return {
          orderNo: newOrderNumber(deps.randomIndex),
          customerId,
          requestedFen: request.requestedFen,
        };
      });
      // One allocation per requested amount, sent together: each sees the orders inserted before it.
      const byAmount = new Map<number, WantedOrder[]>();
      for (const want of wanted) {
        if ('code' in want) continue;
        const group = byAmount.get(want.requestedFen) ?? [];
        group.push(want);
        byAmount.set(want.requestedFen, group);
      }
      const inserted = await Promise.all(
        [...byAmount].map(([requestedFen, group]) =>
          store.orders.insertAtFreeAmounts({ requestedFen, ...moment }, group, candidatesFor(requestedFen)),
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
        const order = created.get(want.orderNo) ?? (await allocateAgain(store, { ...want, ...moment }));
        if (order) outcomes.push({ kind: 'created', order });
        else {
          outcomes.push({ kind: 'rejected', code: 'order.amounts_busy' });
          await alarmWindowFull(store, want.requestedFen, now);
        }
      }
      const photos = outcomes.flatMap((outcome, i) => {
        const request = requests[i];
        if (outcome.kind !== 'created' || !request) return [];
        const known = settings.get(request.customer.id) ?? { ...request.customer, language: null };
        const recipient = { ...known, channel: 'telegram' as const, chatId: request.customer.chatId };
        return customerNotices(recipient, (texts) => photoMessage(request, outcome.order, texts));
      });
      return { outcomes, outboxIds: await store.outbox.enqueue(photos) };
    });
    if (outboxIds.length > 0) deps.onQueued(outboxIds);
    return outcomes;
  }

  function photoMessage(request: OrderRequest, order: OrderRow, texts: CustomerTexts): OutboxMessage {
    return {
      method: 'sendPhoto',
      photo: 'payee_qr',
      caption: texts.orderCaption({
        orderNo: order.orderNo,
        payableFen: order.payableFen,
        requestedFen: order.requestedFen,
        expiresAt: formatLocalTime(order.expiresAt, config.timeZone),
        mailboxDelayed: request.mailboxDelayed,
      }),
      buttons: [[{ text: texts.cancelButton, callbackData: `cancel:${order.orderNo}` }]],
    };
  }

  /**
   * Every payable amount of `requestedFen` is held by a pending order: squatting, or more demand than the
   * window serves. The admins hear of it once per amount and window, then in summaries (the outbox loop
   * sends them within a second; no need to wake it).
   */
  async function alarmWindowFull(store: Store, requestedFen: number, now: Date): Promise<void> {
    const admins = adminAudienceOf(config);
    const subject = String(requestedFen);
    const admitted = await admitAdminNotice(store, {
      kind: 'amount_window_full',
      subject,
      admins,
      floodPerMinute: config.alarms.floodPerMinute,
      now,
    });
    if (!admitted) return;
    const amounts = candidatesFor(requestedFen);
    const window = { requestedFen, lowestFen: Math.min(...amounts), highestFen: Math.max(...amounts) };
    await notifyAdmins(store, admins, (texts) => texts.amountWindowFull(window));
  }

  function candidatesFor(requestedFen: number): number[] {
    return payableCandidates(requestedFen, recharge.offsetMaxFen, recharge.offsetDirection);
  }

  /** One order's allocation once more, after its first try found no free amount; null when there is none. */
  async function allocateAgain(
    store: Store,
    order: { orderNo: string; customerId: number; requestedFen: number; createdAt: Date; expiresAt: Date },
  ): Promise<OrderRow | null> {
    for (let attempt = 1; attempt < ALLOCATION_ATTEMPTS; attempt++) {
      const [row] = await store.orders.insertAtFreeAmounts(order, [order], candidatesFor(order.requestedFen));
      if (row) return row;
    }
    return null;
  }
}

interface WantedOrder {
  orderNo: string;
  customerId: number;
  requestedFen: number;
}

interface OrderRequest {
  customer: CustomerProfile;
  requestedFen: number;
  mailboxDelayed: boolean;
}

export type CreateOrder = ReturnType<typeof createCreateOrder>;
