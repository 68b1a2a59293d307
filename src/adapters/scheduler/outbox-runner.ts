// Runs outbox delivery in the background: at once when woken, and every second for retries and other processes' messages.
import type { DeliverOutbox } from '../../app/deliver-outbox.ts';
import type { Logger } from '../../app/ports.ts';
import { fullBudget, spend, TELEGRAM_BROADCAST_RATE, takeForBulk } from '../../domain/send-budget.ts';

const IDLE_POLL_MS = 1_000;
/** Deliveries at once beside the loop (answers customers wait for), at most this many at a time. */
const MAX_DIRECT = 8;
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
        handled = await deliverDue({ limit: allowed.granted });
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
     * backlog); the loop takes them if too many are already on their way.
     */
    deliverNow(ids: readonly number[]) {
      if (stopped || ids.length === 0) return;
      if (direct.size >= MAX_DIRECT) return kick();
      budget = spend(budget, TELEGRAM_BROADCAST_RATE, Date.now(), ids.length);
      const sending = deliverDue({ only: ids })
        .catch((error) => logger.error({ err: error }, 'outbox delivery failed'))
        .finally(() => {
          direct.delete(sending);
          // A message held back behind one of these (same chat, sent in order) is due now.
          kick();
        });
      direct.add(sending);
    },
    /** Lets the messages being sent finish, then stops. */
    async stop() {
      stopped = true;
      wake?.();
      await Promise.all([done, ...direct]);
    },
  };
}
