// Runs outbox delivery in the background: at once when woken, and every second for retries and other processes' messages.

import type { Logger } from '../../shared/ports.ts';
import type { DeliverOutbox } from './deliver-outbox.ts';
import { fullBudget, spend, TELEGRAM_BROADCAST_RATE, takeForBulk } from './send-budget.ts';

const IDLE_POLL_MS = 1_000;
/** Deliveries at once beside the loop (answers customers wait for), at most this many at a time. */
const MAX_DIRECT = 8;
/** A customer's answer held back behind an earlier message of the chat: tried again this often, this soon. */
const HELD_BACK_ATTEMPTS = 3;
const HELD_BACK_RETRY_MS = 20;
/** Messages the loop claims at a time, at most. */
const BATCH = 20;

/**
 * The loop sends queued messages at Telegram's broadcast rate (a backlog would otherwise earn 429s);
 * `deliverNow` sends answers a customer is waiting for at once, spending from the same budget.
 */
export function startOutboxRunner({ deliverDue, logger }: { deliverDue: DeliverOutbox; logger: Logger }) {
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  let budget = fullBudget(TELEGRAM_BROADCAST_RATE, Date.now());
  const direct = new Set<Promise<unknown>>();
  /** Answers waiting for one of the MAX_DIRECT deliveries to finish. */
  let waitingIds: number[] = [];

  async function loop() {
    while (!stopped) {
      const allowed = takeForBulk(budget, TELEGRAM_BROADCAST_RATE, Date.now(), BATCH);
      budget = allowed.budget;
      if (allowed.granted === 0) {
        await pause(allowed.waitMs, { wokenByKick: false });
        continue;
      }
      let handled = 0;
      try {
        handled = (await deliverDue({ limit: allowed.granted })).length;
      } catch (error) {
        logger.error({ err: error }, 'outbox delivery failed');
      }
      budget = spend(budget, TELEGRAM_BROADCAST_RATE, Date.now(), handled - allowed.granted);
      if (handled > 0 || stopped) continue;
      if (woken) {
        woken = false;
        continue;
      }
      await pause(IDLE_POLL_MS, { wokenByKick: true });
    }
  }

  /** Waits `ms`, or less when stopped (or kicked, if `wokenByKick`). */
  async function pause(ms: number, { wokenByKick }: { wokenByKick: boolean }) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        if (!wokenByKick && !stopped) return;
        clearTimeout(timer);
        resolve();
      };
    });
    wake = null;
  }

  function sendNow(ids: readonly number[], attempt = 1) {
    const sending = deliverDue({ only: ids })
      .then((handled) => {
        // Not claimable yet: held back behind an earlier message of its chat, most likely one on its way
        // whose delivery is about to be recorded. Tried again shortly, a few times, then left to the loop.
        const heldBack = ids.filter((id) => !handled.includes(id));
        if (heldBack.length === 0 || attempt >= HELD_BACK_ATTEMPTS) return;
        const retry = setTimeout(() => {
          if (stopped) return;
          if (direct.size >= MAX_DIRECT) waitingIds.push(...heldBack);
          else sendNow(heldBack, attempt + 1);
        }, HELD_BACK_RETRY_MS);
        retry.unref();
      })
      .catch((error) => logger.error({ err: error }, 'outbox delivery failed'))
      .finally(() => {
        direct.delete(sending);
        const next = waitingIds;
        waitingIds = [];
        if (next.length > 0 && !stopped) sendNow(next);
        kick();
      });
    direct.add(sending);
  }

  function kick() {
    woken = true;
    wake?.();
  }

  const done = loop();
  return {
    /** Something was queued: deliver now rather than at the next tick. */
    kick,
    /**
     * A customer waits for these messages: send them at once, beside the loop (which may be busy with a
     * backlog) — or, with MAX_DIRECT deliveries on their way, together as soon as one of those is done.
     */
    deliverNow(ids: readonly number[]) {
      if (stopped || ids.length === 0) return;
      budget = spend(budget, TELEGRAM_BROADCAST_RATE, Date.now(), ids.length);
      if (direct.size >= MAX_DIRECT) waitingIds.push(...ids);
      else sendNow(ids);
    },
    /** Lets the messages being sent finish, then stops. */
    async stop() {
      stopped = true;
      wake?.();
      await Promise.all([done, ...direct]);
    },
  };
}
