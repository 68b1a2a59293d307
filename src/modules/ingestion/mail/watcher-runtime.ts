// The mailbox watcher's I/O state between events, and the two steps every part of its loop takes: feed the
// state machine an event, and bound an IMAP command in time.
import type { ImapFlow } from 'imapflow';
import type { Config } from '../../../shared/config/config.ts';
import type { Logger } from '../../../shared/ports.ts';
import type { createCatchUpTracker } from './catch-up-tracker.ts';
import type { IncomingMessage } from './examine-message.ts';
import type { MailboxCursor } from './imap-cursor.ts';
import type { IngestOutcome } from './ingest-message.ts';
import type { OutageReport, OutageState } from './mailbox-outage.ts';
import {
  nextWatcherState,
  type WatcherAction,
  type WatcherEvent,
  type WatcherState,
} from './watcher-state.ts';
import type { WatcherTiming } from './watcher-timing.ts';

export interface MailboxWatcherOptions {
  imap: Config['imap'];
  maxBytes: number;
  cursors: {
    read(mailbox: string): Promise<MailboxCursor | null>;
    reset(mailbox: string, uidValidity: bigint, lastUid: number): Promise<void>;
  };
  /** Ingests the first message and maybe some after it, in one go; returns their outcomes, in order. */
  ingest: (messages: readonly IncomingMessage[]) => Promise<IngestOutcome[]>;
  /** Whether an ingest error may go away by itself (DNS, database connection): retried forever, never given up. */
  isTransient: (error: unknown) => boolean;
  /** Records a message whose processing keeps failing, so the messages after it are not blocked. */
  giveUp: (message: IncomingMessage, error: unknown) => Promise<IngestOutcome>;
  /** Tells the admins; a rejection means "not told yet" and it is tried again. */
  onOutage?: (report: OutageReport) => Promise<void>;
  timing?: Partial<WatcherTiming>;
  /** Asked before each connect and each fetch: false (leadership lost) ends the pass. */
  mayFetch?: () => boolean;
  logger: Logger;
}
class CommandTimeoutError extends Error {}

/** What the I/O loop holds between events; `state` is the state machine's, the rest is I/O. */
export interface Watcher {
  options: MailboxWatcherOptions;
  timing: WatcherTiming;
  state: WatcherState;
  client: ImapFlow | null;
  outage: OutageState;
  syncing: Promise<void> | null;
  timers: Partial<Record<'reconnect' | 'retry' | 'safety' | 'outage', NodeJS.Timeout>>;
  catchUp: ReturnType<typeof createCatchUpTracker>;
}
export function dispatch(w: Watcher, event: WatcherEvent): WatcherAction[] {
  const step = nextWatcherState(w.state, event, w.timing);
  w.state = step.state;
  return step.actions;
}

/** Rejects (and drops the connection) when an IMAP command hangs: a half-open socket must not stall us. */
export function deadline<T>(w: Watcher, owner: ImapFlow, work: Promise<T>, what: string): Promise<T> {
  const ms = w.timing.commandTimeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new CommandTimeoutError(`IMAP ${what} took longer than ${ms} ms`));
      owner.close();
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
