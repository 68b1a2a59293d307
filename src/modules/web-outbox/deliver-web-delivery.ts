// Use case: make one try of a claimed HTTP delivery and record it: delivered, retried on the schedule, or — after
// the last try — failed, with the admins told (through the Telegram outbox, throttled in a flood).
import { performance } from 'node:perf_hooks';
import type { MerchantConfig } from '../../shared/config/merchant-config.ts';
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock, Logger } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import { admitAdminNotice } from '../notify/admin-notices.ts';
import type { GivenUpDelivery, GivenUpFacts } from '../notify/admin-web-texts.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';
import type { ClaimedDelivery } from './web-delivery-claim.ts';
import {
  type AttemptOutcome,
  eventRequest,
  type JudgedTry,
  judgeReply,
  shopNotifyRequest,
} from './web-delivery-request.ts';
import { sendWebRequest, type WebRequest } from './web-request.ts';
import { nextTry } from './web-retry-schedule.ts';

export interface WebDeliveryTuning {
  timeoutMs: number;
  retryDelaysMs: readonly number[];
}

export interface DeliverWebDeliveryDeps {
  store: Store;
  transaction: Transaction;
  clock: Clock;
  logger: Logger;
  merchant: Pick<MerchantConfig, 'merchants' | 'events' | 'allowPrivateNotify'>;
  tuning: WebDeliveryTuning;
  /** Aborted when the service stops: tries on their way are given back, not counted. */
  stop: AbortSignal;
  admins: AdminAudience;
  floodPerMinute: number;
  /** Admins were told of a give-up: the Telegram outbox has a message. */
  onTelegramQueued: () => void;
}

interface Prepared {
  request: WebRequest | null;
  subject: GivenUpDelivery;
}

export function createDeliverWebDelivery(deps: DeliverWebDeliveryDeps) {
  /** The request to make, or null when its key or URL is no longer configured. */
  async function prepare(item: ClaimedDelivery): Promise<Prepared> {
    if (item.kind === 'event') {
      const eventId = item.eventId ?? '';
      const events = deps.merchant.events;
      const request = events ? eventRequest(events, { eventId, body: item.body }, deps.clock.now()) : null;
      return { request, subject: { kind: 'event', eventId } };
    }
    const notify = item.orderId === null ? null : await deps.store.webDeliveries.shopNotifyOf(item.orderId);
    if (!notify)
      return { request: null, subject: { kind: 'shop_notify', pid: '', tradeNo: '', outTradeNo: '' } };
    const key = deps.merchant.merchants.get(notify.pid);
    const { pid, tradeNo, outTradeNo } = notify;
    return {
      request: key ? shopNotifyRequest(notify, key) : null,
      subject: { kind: 'shop_notify', pid, tradeNo, outTradeNo },
    };
  }

  /** Tries the delivery once; its outcome, or `stopped` when the service stopped first. */
  return async function deliver(item: ClaimedDelivery): Promise<AttemptOutcome | 'stopped'> {
    const at = deps.clock.now();
    const started = performance.now();
    const prepared = await prepare(item);
    const reply = prepared.request
      ? await sendWebRequest(prepared.request, {
          timeoutMs: deps.tuning.timeoutMs,
          allowPrivate: deps.merchant.allowPrivateNotify,
          stop: deps.stop,
        })
      : null;
    if (reply?.kind === 'stopped') {
      await deps.store.webDeliveries.release(item);
      return 'stopped';
    }
    const judged: JudgedTry = reply
      ? judgeReply(item.kind, reply)
      : {
          outcome: 'not_configured',
          httpStatus: null,
          detail: 'merchant key or events webhook not configured',
        };
    const durationMs = Math.round(performance.now() - started);
    await record(deps, item, prepared.subject, { at, durationMs, ...judged });
    return judged.outcome;
  };
}

export type DeliverWebDelivery = ReturnType<typeof createDeliverWebDelivery>;

async function record(
  deps: DeliverWebDeliveryDeps,
  item: ClaimedDelivery,
  subject: GivenUpDelivery,
  attempt: JudgedTry & { at: Date; durationMs: number },
): Promise<void> {
  const tries = item.attempts + 1;
  const log = {
    deliveryId: item.id,
    kind: item.kind,
    tries,
    outcome: attempt.outcome,
    httpStatus: attempt.httpStatus,
  };
  const told = await deps.transaction(async (store) => {
    await store.webDeliveries.recordAttempt(item.id, attempt);
    if (attempt.outcome === 'delivered') {
      await store.webDeliveries.markDelivered(item, deps.clock.now());
      return false;
    }
    const error = `${attempt.outcome}${attempt.detail ? `: ${attempt.detail}` : ''}`;
    const next = nextTry(tries, deps.clock.now(), deps.tuning.retryDelaysMs);
    if (next.kind === 'retry') {
      await store.webDeliveries.markRetry(item, next.at, error);
      return false;
    }
    if (!(await store.webDeliveries.markFailed(item, error))) return false;
    return tellAdmins(deps, store, {
      delivery: subject,
      tries,
      outcome: attempt.outcome,
      detail: attempt.detail,
    });
  });
  if (attempt.outcome === 'delivered') deps.logger.info(log, 'web delivery delivered');
  else deps.logger.warn({ ...log, detail: attempt.detail }, 'web delivery failed');
  if (told) deps.onTelegramQueued();
}

async function tellAdmins(deps: DeliverWebDeliveryDeps, store: Store, facts: GivenUpFacts): Promise<boolean> {
  const admitted = await admitAdminNotice(store, {
    kind: 'web_delivery_failed',
    admins: deps.admins,
    floodPerMinute: deps.floodPerMinute,
    now: deps.clock.now(),
  });
  if (admitted) await notifyAdmins(store, deps.admins, (texts) => texts.webDeliveryFailed(facts));
  return true;
}
