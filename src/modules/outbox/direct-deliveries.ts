// Answers a customer waits for, sent at once beside the outbox loop (which may be busy with a backlog).
import type { Logger } from '../../shared/ports.ts';
import type { DeliverOutbox } from './deliver-outbox.ts';

/** Deliveries at once beside the loop, at most this many at a time. */
const MAX_DIRECT = 8;
/** A customer's answer held back behind an earlier message of the chat: tried again this often, this soon. */
const HELD_BACK_ATTEMPTS = 3;
const HELD_BACK_RETRY_MS = 20;

export function createDirectDeliveries(deps: {
  deliverDue: DeliverOutbox;
  logger: Logger;
  stopped: () => boolean;
  /** Each delivery done: the loop may have more to do now. */
  onSettled: () => void;
}) {
  const direct = new Set<Promise<unknown>>();
  /** Answers waiting for one of the MAX_DIRECT deliveries to finish. */
  let waitingIds: number[] = [];

  function sendNow(ids: readonly number[], attempt = 1) {
    const sending = deps
      .deliverDue({ only: ids })
      .then((handled) => {
        // Not claimable yet: held back behind an earlier message of its chat, most likely one on its way
        // whose delivery is about to be recorded. Tried again shortly, a few times, then left to the loop.
        const heldBack = ids.filter((id) => !handled.includes(id));
        if (heldBack.length === 0 || attempt >= HELD_BACK_ATTEMPTS) return;
        const retry = setTimeout(() => {
          if (deps.stopped()) return;
          if (direct.size >= MAX_DIRECT) waitingIds.push(...heldBack);
          else sendNow(heldBack, attempt + 1);
        }, HELD_BACK_RETRY_MS);
        retry.unref();
      })
      .catch((error) => deps.logger.error({ err: error }, 'outbox delivery failed'))
      .finally(() => {
        direct.delete(sending);
        const next = waitingIds;
        waitingIds = [];
        if (next.length > 0 && !deps.stopped()) sendNow(next);
        deps.onSettled();
      });
    direct.add(sending);
  }

  return {
    /** Sends at once — or, with MAX_DIRECT deliveries on their way, together as soon as one of those is done. */
    send(ids: readonly number[]) {
      if (direct.size >= MAX_DIRECT) waitingIds.push(...ids);
      else sendNow(ids);
    },
    /** The deliveries on their way now, finished. */
    settled: () => Promise.all([...direct]),
  };
}
