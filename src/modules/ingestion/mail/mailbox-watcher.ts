// Watches the notification mailbox over IMAP IDLE and feeds every new message, in UID order, to ingestion.
// The thin I/O loop: connections, timers and sync passes; every decision is watcher-state.ts's.
import { ImapFlow } from 'imapflow';
import type { Config } from '../../../shared/config/config.ts';
import type { MailboxState } from '../../../shared/ports.ts';
import type { CatchUpFigures } from './catch-up-progress.ts';
import { createCatchUpTracker } from './catch-up-tracker.ts';
import { initialOutage, observeMailbox, withdrawReport } from './mailbox-outage.ts';
import { classifyMailboxFailure, describeProblem, type MailboxProblemKind } from './mailbox-problem.ts';
import { deadline, dispatch, type MailboxWatcherOptions, type Watcher } from './watcher-runtime.ts';
import { initialWatcherState, mailboxStateOf } from './watcher-state.ts';
import { requestSync } from './watcher-sync-loop.ts';
import { DEFAULT_WATCHER_TIMING, type WatcherTiming } from './watcher-timing.ts';

export type { MailboxWatcherOptions } from './watcher-runtime.ts';
export type { WatcherTiming } from './watcher-timing.ts';

export function startMailboxWatcher(options: MailboxWatcherOptions) {
  const timing = { ...DEFAULT_WATCHER_TIMING, ...options.timing };
  const w: Watcher = {
    options,
    timing,
    state: initialWatcherState(Date.now()),
    client: null,
    outage: initialOutage(Date.now()),
    syncing: null,
    timers: {},
    catchUp: createCatchUpTracker({ logger: options.logger, intervalMs: timing.progressIntervalMs }),
  };
  w.timers.outage = setInterval(
    () => observe(w),
    Math.min(5_000, Math.max(100, timing.unreachableAlertMs / 4)),
  );
  w.timers.outage.unref();
  void connect(w);

  return {
    state: (): MailboxState => mailboxStateOf(w.state, Date.now()),
    /** Why the mailbox is not connected (the last failure, classified); null while connected. */
    problem: (): MailboxProblemKind | null => w.state.problem?.kind ?? null,
    /** The catch-up under way (messages done of the backlog, rate, time left); null when there is none. */
    catchUp: (): CatchUpFigures | null => w.catchUp.figures(),
    /** Finishes the message in hand, then logs out. */
    async stop() {
      dispatch(w, { kind: 'stop' });
      for (const timer of Object.values(w.timers)) clearTimeout(timer);
      await w.syncing;
      w.catchUp.finish();
      const current = w.client;
      w.client = null;
      dispatch(w, { kind: 'stopped' });
      if (current) await Promise.race([current.logout().catch(() => {}), delay(2_000)]);
      current?.close();
    },
  };
}

function observe(w: Watcher) {
  if (w.state.stopping) return;
  const { logger, onOutage } = w.options;
  const seen = { connected: w.state.connected, problem: w.state.problem, now: Date.now() };
  const step = observeMailbox(w.outage, seen, w.timing.unreachableAlertMs);
  w.outage = step.state;
  const report = step.report;
  if (!report || !onOutage) return;
  const kind = report.kind === 'problem' ? report.problem.kind : report.kind;
  logger.warn({ report: kind, downSince: new Date(report.downSince) }, 'mailbox outage report');
  onOutage(report).catch((error) => {
    logger.error({ err: error }, 'could not tell the admins about the mailbox; will try again');
    // Not told: undo the step, so the next observation reports it again.
    w.outage = withdrawReport(w.outage, report);
  });
}

async function connect(w: Watcher) {
  if (w.state.stopping || w.options.mayFetch?.() === false) return;
  const { imap, logger } = w.options;
  const next = newClient(imap, w.timing);
  w.client = next;
  next.on('error', (error: Error) => logger.warn({ err: error }, 'imap connection error'));
  next.on('close', () => onClose(w, next));
  next.on('exists', () => requestSync(w, next));
  try {
    await deadline(w, next, next.connect(), 'connect');
    await deadline(w, next, next.mailboxOpen(imap.mailbox), 'SELECT');
  } catch (error) {
    const problem = classifyMailboxFailure(error, { secure: imap.secure });
    dispatch(w, { kind: 'connect_failed', problem });
    const words = describeProblem(problem, imap.mailbox);
    // The server's own words, not imapflow's "Command failed" with the command it sent.
    if (problem.kind === 'unreachable') logger.warn({ err: error }, words);
    else logger.error({ problem: problem.kind, server: problem.detail }, `${words}: ${problem.detail}`);
    next.close();
    return;
  }
  if (next !== w.client) return;
  dispatch(w, { kind: 'connected' });
  observe(w);
  const idle = next.capabilities.has('IDLE');
  logger.info({ mailbox: imap.mailbox, idle }, 'mailbox connected');
  const every = idle ? w.timing.safetySyncMs : imap.pollSeconds * 1000;
  w.timers.safety = setInterval(() => requestSync(w, next), every);
  requestSync(w, next);
}

function onClose(w: Watcher, closed: ImapFlow) {
  if (closed !== w.client) return;
  clearInterval(w.timers.safety);
  clearTimeout(w.timers.retry);
  w.client = null;
  const actions = dispatch(w, { kind: 'closed', now: Date.now(), random: Math.random() });
  observe(w);
  for (const action of actions) {
    if (action.kind !== 'reconnect') continue;
    const { delayMs, attempt } = action;
    w.options.logger.warn({ delayMs, attempt }, 'mailbox connection lost; reconnecting');
    w.timers.reconnect = setTimeout(() => void connect(w), delayMs);
  }
}

function newClient(imap: Config['imap'], timing: WatcherTiming): ImapFlow {
  return new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    clientInfo: { name: 'mailpay', version: '0.1.0' },
    // IDLE right after each command, not after imapflow's 15 s default: new mail is seen at once.
    autoIdleDelay: 300,
    maxIdleTime: 4 * 60_000,
    missingIdleCommand: 'STATUS',
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: timing.socketTimeoutMs,
  });
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export type MailboxWatcher = ReturnType<typeof startMailboxWatcher>;
