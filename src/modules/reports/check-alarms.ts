// Use case: raise and clear alarms outside the report schedule — each announced once when it starts, once when it ends.
import type { Store, Transaction } from '../../shared/db/store.ts';
import type { Clock } from '../../shared/ports.ts';
import type { AdminAudience } from '../notify/admin-audience.ts';
import type { AdminTexts } from '../notify/admin-texts.ts';
import { formatLocalTime } from '../notify/customer-texts.ts';
import { notifyAdmins } from '../notify/notify-admins.ts';

interface AlarmState {
  active: boolean;
  started: (texts: AdminTexts) => string;
  ended: (texts: AdminTexts) => string;
}

export function createCheckAlarms(deps: {
  transaction: Transaction;
  clock: Clock;
  timeZone: string;
  admins: AdminAudience;
  silenceMinutes: number;
  /** The sources watched on their own besides all together (the forwarder webhook, when it is on). */
  silentSources: readonly string[];
  onQueued: () => void;
}) {
  /** A trusted sender's mail that no rule parses, and no parsed payment notification since. */
  async function unparsed(store: Store): Promise<AlarmState> {
    const found = await store.alarms.unparsedSinceLastParse();
    return {
      active: found.count > 0,
      started: (texts) => texts.alarm.unparsedStarted({ subject: found.subject ?? '', count: found.count }),
      ended: (texts) => texts.alarm.unparsedEnded,
    };
  }

  /**
   * Customers have had orders waiting for SILENCE_ALARM_MINUTES and no payment notification came (from
   * `source`, or from any source).
   */
  async function silence(store: Store, now: Date, source?: string): Promise<AlarmState> {
    const since = await store.alarms.waitingSince(source);
    const waitedMs = since ? now.getTime() - since.getTime() : 0;
    return {
      active: since !== null && waitedMs >= deps.silenceMinutes * 60_000,
      started: (texts) => {
        const facts = { sinceMs: waitedMs, since: since ? formatLocalTime(since, deps.timeZone) : '' };
        return source
          ? texts.alarm.sourceSilenceStarted({ ...facts, source })
          : texts.alarm.silenceStarted(facts);
      },
      ended: (texts) => (source ? texts.alarm.sourceSilenceEnded(source) : texts.alarm.silenceEnded),
    };
  }

  /** Returns the names of the alarms that changed. */
  return async function checkAlarms(): Promise<string[]> {
    const changed = await deps.transaction(async (store) => {
      const now = deps.clock.now();
      const states: Record<string, AlarmState> = {
        unparsed: await unparsed(store),
        silence: await silence(store, now),
      };
      for (const source of deps.silentSources)
        states[`${source}_silence`] = await silence(store, now, source);
      const names: string[] = [];
      for (const [name, state] of Object.entries(states)) {
        if (!(await store.alarms.setAlarm(name, state.active, now))) continue;
        // A new alarm row starts inactive: "clearing" it is no change worth announcing.
        names.push(name);
        await notifyAdmins(store, deps.admins, state.active ? state.started : state.ended);
      }
      return names;
    });
    if (changed.length > 0) deps.onQueued();
    return changed;
  };
}

export type CheckAlarms = ReturnType<typeof createCheckAlarms>;
