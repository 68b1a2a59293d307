// Queues events in the caller's transaction when EVENTS_WEBHOOK_URL is set (nothing otherwise): each gets a
// unique id (`evt_` + 128 random bits), so receivers can dedupe; the web outbox sends and signs them.
import { randomBytes } from 'node:crypto';
import type { WebOutboxRepository } from '../web-outbox/web-outbox.repository.ts';
import { type EventFact, eventBody } from './event-bodies.ts';

export function createEventQueue(deps: { webOutbox: WebOutboxRepository; enabled: boolean }) {
  return {
    /** Queues the facts, all at `at`; returns the delivery ids (none while events are off). */
    async queue(facts: readonly EventFact[], at: Date): Promise<number[]> {
      if (!deps.enabled || facts.length === 0) return [];
      return deps.webOutbox.queueEvents(
        facts.map((fact) => {
          const eventId = `evt_${randomBytes(16).toString('hex')}`;
          return { eventId, body: { ...eventBody(eventId, at, fact) } };
        }),
      );
    },
  };
}

export type EventQueue = ReturnType<typeof createEventQueue>;
