// The mailbox watcher of an instance that may or may not lead: a watcher runs while this instance holds the
// mailbox leadership and is stopped the moment it loses it. A new leader resumes from the cursor in the
// database. A follower's watcher is idle: it reports `connecting` (not `down`, which would tell customers
// their payments are delayed) and no problem.
import type { MailboxState } from '../../../shared/ports.ts';
import type { CatchUpFigures } from './catch-up-progress.ts';
import type { MailboxProblemKind } from './mailbox-problem.ts';
import type { MailboxWatcher } from './mailbox-watcher.ts';

export function createLedWatcher(start: () => MailboxWatcher) {
  let current: MailboxWatcher | null = null;
  let stopping: Promise<void> = Promise.resolve();
  let ended = false;
  return {
    /** Leadership gained: watch, once the previous watcher (if any) has let go. */
    lead() {
      if (ended) return;
      stopping = stopping.then(() => {
        if (!ended && !current) current = start();
      });
    },
    /** Leadership lost: the watcher stops fetching now and logs out. */
    follow() {
      const watcher = current;
      current = null;
      if (!watcher) return;
      // Called now, not queued: stop() marks the watcher stopping before it returns, so no fetch follows.
      const stopped = watcher.stop();
      stopping = stopping.then(() => stopped);
    },
    watching: () => current !== null,
    state: (): MailboxState => current?.state() ?? 'connecting',
    problem: (): MailboxProblemKind | null => current?.problem() ?? null,
    catchUp: (): CatchUpFigures | null => current?.catchUp() ?? null,
    async stop() {
      ended = true;
      const watcher = current;
      current = null;
      await stopping;
      await watcher?.stop();
    },
  };
}

export type LedWatcher = ReturnType<typeof createLedWatcher>;
