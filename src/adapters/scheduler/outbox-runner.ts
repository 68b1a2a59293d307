// Runs outbox delivery in the background: at once when woken, and every second for retries and other processes' messages.
import type { DeliverOutbox } from '../../app/deliver-outbox.ts';
import type { Logger } from '../../app/ports.ts';

const IDLE_POLL_MS = 1_000;

export function startOutboxRunner({ deliverDue, logger }: { deliverDue: DeliverOutbox; logger: Logger }) {
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;

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

  const done = loop();
  return {
    /** Something was queued: deliver now rather than at the next tick. */
    kick() {
      woken = true;
      wake?.();
    },
    /** Lets the message being sent finish, then stops. */
    async stop() {
      stopped = true;
      wake?.();
      await done;
    },
  };
}
