// Runs outbox delivery in the background: at once when woken, and every second for retries and other processes' messages.

import type { Logger } from '../../shared/ports.ts';
import { createSleeper } from '../../shared/sleeper.ts';
import type { DeliverOutbox } from './deliver-outbox.ts';
import { createDirectDeliveries } from './direct-deliveries.ts';
import type { SharedSendBudget } from './shared-send-budget.ts';

const IDLE_POLL_MS = 1_000;
/** Messages the loop claims at a time, at most. */
const BATCH = 20;

/**
 * The loop sends queued messages at Telegram's broadcast rate (a backlog would otherwise earn 429s), the
 * budget shared with every instance; `deliverNow` sends answers a customer is waiting for at once, spending
 * from the same budget.
 */
export function startOutboxRunner({
  deliverDue,
  budget,
  logger,
}: {
  deliverDue: DeliverOutbox;
  budget: SharedSendBudget;
  logger: Logger;
}) {
  let stopped = false;
  const sleeper = createSleeper();
  const direct = createDirectDeliveries({
    deliverDue,
    logger,
    stopped: () => stopped,
    onSettled: () => sleeper.kick(),
  });

  /** Claimed messages wait here until the budget has room for them. */
  async function paced(claimed: number) {
    for (let waitMs = await budget.take(claimed); waitMs > 0 && !stopped; waitMs = await budget.take(claimed))
      await sleeper.sleep(waitMs, { wokenByKick: false });
  }

  async function loop() {
    while (!stopped) {
      let handled = 0;
      try {
        handled = (await deliverDue({ limit: BATCH }, paced)).length;
      } catch (error) {
        logger.error({ err: error }, 'outbox delivery failed');
      }
      if (handled > 0 || stopped || sleeper.takeKick()) continue;
      await sleeper.sleep(IDLE_POLL_MS, { wokenByKick: true });
    }
  }

  const done = loop();
  return {
    /** Something was queued: deliver now rather than at the next tick. */
    kick: sleeper.kick,
    /**
     * A customer waits for these messages: send them at once, beside the loop (which may be busy with a
     * backlog), spending from the loop's budget.
     */
    deliverNow(ids: readonly number[]) {
      if (stopped || ids.length === 0) return;
      budget.spend(ids.length).catch((error) => logger.error({ err: error }, 'send budget not counted'));
      direct.send(ids);
    },
    /** Lets the messages being sent finish, then stops. */
    async stop() {
      stopped = true;
      sleeper.stop();
      await Promise.all([done, direct.settled()]);
    },
  };
}
