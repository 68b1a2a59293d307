// Runs HTTP deliveries in the background, side by side: at most 16 in flight, at most 4 per host, so a slow or
// hanging shop holds only its own places. Claims at once when kicked or when a delivery finishes, and checks
// for due retries (and other instances' crashed claims) every second.
import { nextDelay } from '../../shared/backoff.ts';
import type { Logger } from '../../shared/ports.ts';
import { createSleeper } from '../../shared/sleeper.ts';
import type { DeliverWebDelivery } from './deliver-web-delivery.ts';
import type { ClaimedDelivery } from './web-delivery-claim.ts';

export const WEB_LIMITS = { inFlight: 16, perHost: 4 };
/** The database is unreachable: claims are tried again after this back-off. */
const CLAIM_RETRY = { baseMs: 1_000, maxMs: 30_000 };

export function startWebOutboxRunner(deps: {
  claim: (limit: number, busy: ReadonlyMap<string, number>) => Promise<ClaimedDelivery[]>;
  deliver: DeliverWebDelivery;
  dueCheckMs: number;
  logger: Logger;
}) {
  let stopped = false;
  const sleeper = createSleeper();
  const inFlight = new Set<Promise<void>>();
  const busy = new Map<string, number>();

  function start(item: ClaimedDelivery) {
    busy.set(item.host, (busy.get(item.host) ?? 0) + 1);
    const delivering = deps
      .deliver(item)
      .then(() => undefined)
      .catch((error) =>
        deps.logger.error({ err: error, deliveryId: item.id }, 'web delivery could not be recorded'),
      )
      .finally(() => {
        const left = (busy.get(item.host) ?? 1) - 1;
        if (left > 0) busy.set(item.host, left);
        else busy.delete(item.host);
        inFlight.delete(delivering);
        sleeper.kick();
      });
    inFlight.add(delivering);
  }

  async function loop() {
    let failures = 0;
    while (!stopped) {
      const free = WEB_LIMITS.inFlight - inFlight.size;
      let claimed = 0;
      try {
        const items = free > 0 ? await deps.claim(free, busy) : [];
        failures = 0;
        claimed = items.length;
        if (!stopped) for (const item of items) start(item);
      } catch (error) {
        failures += 1;
        deps.logger.error({ err: error }, 'web outbox claim failed');
        await sleeper.sleep(nextDelay(failures, CLAIM_RETRY, Math.random()), { wokenByKick: false });
        continue;
      }
      if (claimed > 0 || stopped || sleeper.takeKick()) continue;
      await sleeper.sleep(deps.dueCheckMs, { wokenByKick: true });
    }
  }

  const done = loop();
  return {
    /** Something was queued: claim now rather than at the next due-check. */
    kick: sleeper.kick,
    /** Stops claiming and waits for the tries on their way (the caller aborts them). */
    async stop() {
      stopped = true;
      sleeper.stop();
      await done;
      await Promise.all([...inFlight]);
    },
  };
}
