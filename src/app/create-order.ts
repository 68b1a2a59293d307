// Use case: a customer asks to recharge an amount → an order with a unique payable amount and its QR photo.

import type { CustomerProfile } from '../adapters/db/customers.repository.ts';
import type { Db } from '../adapters/db/database.ts';
import { isUniqueViolation } from '../adapters/db/database.ts';
import type { OrderRow } from '../adapters/db/orders.repository.ts';
import { inTransaction } from '../adapters/db/store.ts';
import type { Config } from '../config.ts';
import { parseYuanToFen } from '../domain/money.ts';
import { newOrderNumber } from '../domain/order-number.ts';
import { payableCandidates } from '../domain/payable-amount.ts';
import { formatLocalTime, languageOf, textsFor } from '../domain/texts.ts';
import type { Clock, MailboxState } from './ports.ts';

export type CreateOrderOutcome =
  | { kind: 'created'; order: OrderRow }
  | {
      kind: 'rejected';
      code: 'amount.invalid' | 'order.too_many_pending' | 'order.amounts_busy' | 'mailbox.down';
    };

/** Attempts when a freshly drawn order number is already taken. */
const MAX_ATTEMPTS = 5;

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

    const candidates = payableCandidates(parsed.fen, recharge.offsetMaxFen, recharge.offsetDirection);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await inTransaction(db, async (store) => {
          await store.customers.upsert(customer);
          if ((await store.orders.countPending(customer.id)) >= recharge.maxPendingPerCustomer) {
            return { kind: 'rejected', code: 'order.too_many_pending' } as const;
          }
          const now = clock.now();
          const order = await store.orders.insertAtFreeAmount(
            {
              orderNo: newOrderNumber(deps.randomIndex),
              customerId: customer.id,
              requestedFen: parsed.fen,
              createdAt: now,
              expiresAt: new Date(now.getTime() + recharge.orderTtlSeconds * 1000),
            },
            candidates,
          );
          if (!order) return { kind: 'rejected', code: 'order.amounts_busy' } as const;
          const texts = textsFor(languageOf(customer.languageCode));
          const outboxIds = await store.outbox.enqueue([
            {
              chatId: customer.chatId,
              message: {
                method: 'sendPhoto',
                photo: 'payee_qr',
                caption: texts.orderCaption({
                  orderNo: order.orderNo,
                  payableFen: order.payableFen,
                  requestedFen: order.requestedFen,
                  expiresAt: formatLocalTime(order.expiresAt, config.timeZone),
                  mailboxDelayed,
                }),
                buttons: [[{ text: texts.cancelButton, callbackData: `cancel:${order.orderNo}` }]],
              },
            },
          ]);
          return { kind: 'created', order, outboxIds } as const;
        });
        if (outcome.kind !== 'created') return outcome;
        deps.onQueued(outcome.outboxIds);
        return { kind: 'created', order: outcome.order };
      } catch (error) {
        // Another order took the number first (one in ~10^11): draw again.
        if (!isUniqueViolation(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  };
}

export type CreateOrder = ReturnType<typeof createCreateOrder>;
