import { describe, expect, it } from 'vitest';
import {
  initialWatcherState,
  mailboxStateOf,
  nextWatcherState,
  type WatcherEvent,
  type WatcherState,
} from '../src/modules/ingestion/mail/watcher-state.ts';
import { DEFAULT_WATCHER_TIMING } from '../src/modules/ingestion/mail/watcher-timing.ts';

const timing = { ...DEFAULT_WATCHER_TIMING, maxAttempts: 3 };
const run = (state: WatcherState, ...events: WatcherEvent[]) =>
  events.reduce((step, event) => nextWatcherState(step.state, event, timing), {
    state,
    actions: [],
  } as ReturnType<typeof nextWatcherState>);
const connected = run(initialWatcherState(0), { kind: 'connected' }).state;

describe('the mailbox watcher as a state machine', () => {
  it('reconnects a lost connection with growing back-off, and forgets the attempts once connected', () => {
    const first = run(connected, { kind: 'closed', now: 1_000, random: 0 });
    expect(first.actions).toEqual([{ kind: 'reconnect', delayMs: 500, attempt: 1 }]);
    expect(first.state.problem).toEqual({ kind: 'unreachable', detail: 'connection lost' });
    expect(first.state.disconnectedSince).toBe(1_000);
    const third = run(
      first.state,
      { kind: 'closed', now: 2_000, random: 0 },
      { kind: 'closed', now: 3_000, random: 0 },
    );
    expect(third.actions).toEqual([{ kind: 'reconnect', delayMs: 2_000, attempt: 3 }]);
    // Still the moment the connection was lost, not the failed tries after it.
    expect(third.state.disconnectedSince).toBe(1_000);
    expect(run(third.state, { kind: 'connected' }).state).toMatchObject({
      reconnectAttempts: 0,
      problem: null,
    });
  });

  it('retries a refused login slowly, so the provider does not lock the account', () => {
    const problem = { kind: 'login_refused' as const, detail: 'AUTHENTICATIONFAILED' };
    const step = run(
      initialWatcherState(0),
      { kind: 'connect_failed', problem },
      { kind: 'closed', now: 5, random: 0 },
    );
    expect(step.actions).toEqual([{ kind: 'reconnect', delayMs: 5 * 60_000, attempt: 1 }]);
    expect(step.state.problem).toEqual(problem);
  });

  it('does not reconnect once stopping', () => {
    expect(run(connected, { kind: 'stop' }, { kind: 'closed', now: 1, random: 0 }).actions).toEqual([]);
  });

  it('runs one sync at a time, and once more when mail arrived during it', () => {
    const started = run(connected, { kind: 'sync_requested' });
    expect(started.actions).toEqual([{ kind: 'start_sync' }]);
    const during = run(started.state, { kind: 'sync_requested' });
    expect(during.actions).toEqual([]);
    const again = run(during.state, { kind: 'sync_passed', current: true });
    expect(again.actions).toEqual([{ kind: 'sync_again' }]);
    expect(run(again.state, { kind: 'sync_passed', current: true }).actions).toEqual([{ kind: 'end_sync' }]);
    const finished = run(again.state, { kind: 'sync_passed', current: true }, { kind: 'sync_finished' });
    expect(run(finished.state, { kind: 'sync_requested' }).actions).toEqual([{ kind: 'start_sync' }]);
  });

  it('retries a failed sync with back-off, but not on a connection it no longer owns', () => {
    const syncing = run(connected, { kind: 'sync_requested' }).state;
    const failed = run(
      syncing,
      { kind: 'sync_failed', current: true, random: 0 },
      { kind: 'sync_failed', current: true, random: 0 },
    );
    expect(failed.actions).toEqual([{ kind: 'retry_sync', delayMs: 1_000 }, { kind: 'end_sync' }]);
    expect(run(failed.state, { kind: 'sync_passed', current: true }).state.syncFailures).toBe(0);
    expect(run(syncing, { kind: 'sync_failed', current: false, random: 0 }).actions).toEqual([
      { kind: 'end_sync' },
    ]);
  });

  it('gives a message up after maxAttempts non-transient failures, and retries transient ones forever', () => {
    const fail = (transient: boolean): WatcherEvent => ({ kind: 'message_failed', key: '1:7', transient });
    const twice = run(connected, fail(false), fail(false));
    expect(twice.actions).toEqual([{ kind: 'retry_message' }]);
    expect(run(twice.state, fail(true), fail(true)).actions).toEqual([{ kind: 'retry_message' }]);
    const third = run(twice.state, fail(true), fail(false));
    expect(third.actions).toEqual([{ kind: 'give_up_message', attempts: 3 }]);
    // A give-up that itself fails gives up again at once.
    expect(run(third.state, fail(false)).actions).toEqual([{ kind: 'give_up_message', attempts: 4 }]);
    const recorded = run(third.state, { kind: 'message_processed', key: '1:7' });
    expect(run(recorded.state, fail(false)).actions).toEqual([{ kind: 'retry_message' }]);
  });

  it('counts as down only after a while disconnected', () => {
    const lost = run(connected, { kind: 'closed', now: 1_000, random: 0 }).state;
    expect(mailboxStateOf(connected, 99_999)).toBe('connected');
    expect(mailboxStateOf(lost, 30_999)).toBe('connecting');
    expect(mailboxStateOf(lost, 31_000)).toBe('down');
  });
});
