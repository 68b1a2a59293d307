// Runs outbox delivery in the background: at once when woken, and every second for retries and other processes' messages.
import type { DeliverOutbox } from '../../app/deliver-outbox.ts';
import type { Logger } from '../../app/ports.ts';

const IDLE_POLL_MS = 1_000;
/** Deliveries at once beside the loop (answers customers wait for), at most this many at a time. */
const MAX_DIRECT = 8;

export function startOutboxRunner({ deliverDue, logger }: { deliverDue: DeliverOutbox; logger: Logger }) {
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  const direct = new Set<Promise<unknown>>();

  async function loop() {
    while (!stopped) {
      let handled = 0;
      try {
        handled = await deliverDue();
      } catch (error) {
        logger.error({ err: error }, 'outbox delivery failed');
      }
      if (handled > 0 || stopped) continue;
      if (woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IDLE_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
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
      const sending = deliverDue(ids)
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
