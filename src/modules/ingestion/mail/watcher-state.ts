// The mailbox watcher's decisions, as a pure state machine: state + event → next state + actions. The
// watcher's I/O loop feeds it what happened (connected, closed, a sync ended, a message failed) and does
// what it answers; time and randomness come in with the events (emailengine's sync-operations split).
import { nextDelay } from '../../../shared/backoff.ts';
import type { MailboxState } from '../../../shared/ports.ts';
import { assertNever } from '../../../shared/result.ts';
import { type MailboxProblem, retriesLogIn } from './mailbox-problem.ts';
import type { WatcherTiming } from './watcher-timing.ts';

/** Disconnected this long (ms) counts as down for customers and health. */
export const DOWN_AFTER_MS = 30_000;

export interface WatcherState {
  connected: boolean;
  disconnectedSince: number;
  /** Why the mailbox is not connected (the last failure, classified); null while connected. */
  problem: MailboxProblem | null;
  reconnectAttempts: number;
  /** A sync is running; `syncAgain`: something arrived during it, so it runs once more. */
  syncing: boolean;
  syncAgain: boolean;
  syncFailures: number;
  /** Non-transient failures per message (`uidValidity:uid`), forgotten once it is processed. */
  failures: ReadonlyMap<string, number>;
  stopping: boolean;
}

export type WatcherEvent =
  | { kind: 'connected' }
  | { kind: 'connect_failed'; problem: MailboxProblem }
  | { kind: 'closed'; now: number; random: number }
  | { kind: 'sync_requested' }
  /** One sync pass ended; `current`: its connection is still the watcher's. */
  | { kind: 'sync_passed'; current: boolean }
  | { kind: 'sync_failed'; current: boolean; random: number }
  | { kind: 'sync_finished' }
  | { kind: 'message_processed'; key: string }
  | { kind: 'message_failed'; key: string; transient: boolean }
  | { kind: 'stop' }
  /** Stopped: the sync in hand finished and the connection is being closed. */
  | { kind: 'stopped' };

export type WatcherAction =
  | { kind: 'reconnect'; delayMs: number; attempt: number }
  /** Start a sync: no sync is running. */
  | { kind: 'start_sync' }
  /** Run the running sync once more. */
  | { kind: 'sync_again' }
  | { kind: 'retry_sync'; delayMs: number }
  | { kind: 'end_sync' }
  /** A failed message: fail the pass (it is tried again), or record it as failed after `attempts` tries. */
  | { kind: 'retry_message' }
  | { kind: 'give_up_message'; attempts: number };

export interface WatcherStep {
  state: WatcherState;
  actions: WatcherAction[];
}

export const initialWatcherState = (now: number): WatcherState => ({
  connected: false,
  disconnectedSince: now,
  problem: null,
  reconnectAttempts: 0,
  syncing: false,
  syncAgain: false,
  syncFailures: 0,
  failures: new Map(),
  stopping: false,
});

export function nextWatcherState(
  state: WatcherState,
  event: WatcherEvent,
  timing: WatcherTiming,
): WatcherStep {
  switch (event.kind) {
    case 'connected':
      return { state: { ...state, connected: true, problem: null, reconnectAttempts: 0 }, actions: [] };
    case 'connect_failed':
      return { state: { ...state, problem: event.problem }, actions: [] };
    case 'closed':
      return closed(state, event, timing);
    case 'sync_requested':
      if (state.syncing) return { state: { ...state, syncAgain: true }, actions: [] };
      return { state: { ...state, syncing: true, syncAgain: false }, actions: [{ kind: 'start_sync' }] };
    case 'sync_passed': {
      const passed = { ...state, syncFailures: 0 };
      if (state.syncAgain && event.current && !state.stopping) {
        return { state: { ...passed, syncAgain: false }, actions: [{ kind: 'sync_again' }] };
      }
      return { state: passed, actions: [{ kind: 'end_sync' }] };
    }
    case 'sync_failed': {
      if (!event.current || state.stopping) return { state, actions: [{ kind: 'end_sync' }] };
      const syncFailures = state.syncFailures + 1;
      const delayMs = nextDelay(syncFailures, timing.retry, event.random);
      return {
        state: { ...state, syncFailures },
        actions: [{ kind: 'retry_sync', delayMs }, { kind: 'end_sync' }],
      };
    }
    case 'sync_finished':
      return { state: { ...state, syncing: false, syncAgain: false }, actions: [] };
    case 'message_processed':
      return { state: { ...state, failures: without(state.failures, event.key) }, actions: [] };
    case 'message_failed':
      return messageFailed(state, event, timing);
    case 'stop':
      return { state: { ...state, stopping: true }, actions: [] };
    case 'stopped':
      return { state: { ...state, connected: false }, actions: [] };
    default:
      return assertNever(event);
  }
}

function closed(
  state: WatcherState,
  event: { now: number; random: number },
  timing: WatcherTiming,
): WatcherStep {
  const lost = state.connected
    ? { disconnectedSince: event.now, problem: { kind: 'unreachable' as const, detail: 'connection lost' } }
    : {};
  const down = { ...state, ...lost, connected: false };
  if (state.stopping) return { state: down, actions: [] };
  const attempt = state.reconnectAttempts + 1;
  const policy = down.problem && retriesLogIn(down.problem) ? timing.slowRetry : timing.reconnect;
  const delayMs = nextDelay(attempt, policy, event.random);
  return {
    state: { ...down, reconnectAttempts: attempt },
    actions: [{ kind: 'reconnect', delayMs, attempt }],
  };
}

/** A transient failure is retried forever, uncounted; any other is counted, and given up after `maxAttempts`. */
function messageFailed(
  state: WatcherState,
  event: { key: string; transient: boolean },
  timing: WatcherTiming,
): WatcherStep {
  if (event.transient) return { state, actions: [{ kind: 'retry_message' }] };
  const attempts = (state.failures.get(event.key) ?? 0) + 1;
  if (attempts < timing.maxAttempts) {
    const counted = new Map(state.failures).set(event.key, attempts);
    return { state: { ...state, failures: counted }, actions: [{ kind: 'retry_message' }] };
  }
  // Still counted until it is recorded: a give-up that fails is tried again at once, not after new retries.
  const counted = new Map(state.failures).set(event.key, attempts);
  return { state: { ...state, failures: counted }, actions: [{ kind: 'give_up_message', attempts }] };
}

/** What customers and /health see: down only after a while, so a quick reconnect goes unnoticed. */
export function mailboxStateOf(state: WatcherState, now: number): MailboxState {
  if (state.connected) return 'connected';
  return now - state.disconnectedSince >= DOWN_AFTER_MS ? 'down' : 'connecting';
}

function without(map: ReadonlyMap<string, number>, key: string): ReadonlyMap<string, number> {
  if (!map.has(key)) return map;
  const copy = new Map(map);
  copy.delete(key);
  return copy;
}
