// The watcher's sync loop: one sync pass at a time, run again when mail arrived during it, retried with
// back-off when it fails; a message that keeps failing is recorded as failed so the ones after it go on.
import type { ImapFlow } from 'imapflow';
import type { IncomingMessage } from './examine-message.ts';
import type { IngestOutcome } from './ingest-message.ts';
import { syncMailbox } from './mailbox-sync.ts';
import { deadline, dispatch, type Watcher } from './watcher-runtime.ts';
import type { WatcherAction } from './watcher-state.ts';

/** One sync at a time; an `exists` during a sync makes it run once more afterwards. */
export function requestSync(w: Watcher, owner: ImapFlow) {
  if (!dispatch(w, { kind: 'sync_requested' }).some((action) => action.kind === 'start_sync')) return;
  clearTimeout(w.timers.retry);
  w.syncing = runSyncs(w, owner).finally(() => {
    dispatch(w, { kind: 'sync_finished' });
    w.syncing = null;
  });
}

async function runSyncs(w: Watcher, owner: ImapFlow) {
  const { options } = w;
  const pass = {
    client: owner,
    mailbox: options.imap.mailbox,
    maxBytes: options.maxBytes,
    cursors: options.cursors,
    deadline: <T>(work: Promise<T>, what: string) => deadline(w, owner, work, what),
    process: (messages: readonly IncomingMessage[]) => processMessages(w, messages),
    isCurrent: () => !w.state.stopping && owner === w.client && (options.mayFetch?.() ?? true),
    catchUp: w.catchUp,
    logger: options.logger,
  };
  for (;;) {
    let actions: WatcherAction[];
    try {
      await syncMailbox(pass);
      actions = dispatch(w, { kind: 'sync_passed', current: owner === w.client });
    } catch (error) {
      actions = dispatch(w, { kind: 'sync_failed', current: owner === w.client, random: Math.random() });
      for (const action of actions) {
        if (action.kind !== 'retry_sync') continue;
        options.logger.error({ err: error, delayMs: action.delayMs }, 'mailbox sync failed; will retry');
        w.timers.retry = setTimeout(() => requestSync(w, owner), action.delayMs);
        w.timers.retry.unref();
      }
    }
    if (!actions.some((action) => action.kind === 'sync_again')) break;
  }
  w.catchUp.finish();
}

/**
 * Ingests the first of `messages` (and maybe more); a non-transient failure of the first, repeated
 * `maxAttempts` times, records it as failed instead. Returns the outcomes of the messages it handled.
 */
async function processMessages(w: Watcher, messages: readonly IncomingMessage[]): Promise<IngestOutcome[]> {
  const [message] = messages;
  if (!message) return [];
  const { options } = w;
  const key = `${message.uidValidity}:${message.uid}`;
  try {
    const outcomes = await options.ingest(messages);
    dispatch(w, { kind: 'message_processed', key });
    return outcomes;
  } catch (error) {
    const [action] = dispatch(w, { kind: 'message_failed', key, transient: options.isTransient(error) });
    if (action?.kind !== 'give_up_message') throw error;
    const { attempts } = action;
    options.logger.error(
      { err: error, uid: message.uid, attempts },
      'message keeps failing; recording it as failed',
    );
    const outcome = await options.giveUp(message, error);
    dispatch(w, { kind: 'message_processed', key });
    return [outcome];
  }
}
