// Watches the notification mailbox over IMAP IDLE and feeds every new message, in UID order, to ingestion.
import { ImapFlow } from 'imapflow';
import { nextDelay } from '../../../shared/backoff.ts';
import type { Config } from '../../../shared/config/config.ts';
import type { Logger, MailboxState } from '../../../shared/ports.ts';
import type { CatchUpFigures } from './catch-up-progress.ts';
import { createCatchUpTracker } from './catch-up-tracker.ts';
import type { IncomingMessage } from './examine-message.ts';
import {
  hasUidValidityChanged,
  type MailboxCursor,
  nextBatch,
  sizeBoundedChunks,
  uidsAfter,
} from './imap-cursor.ts';
import type { IngestOutcome } from './ingest-message.ts';
import { initialOutage, type OutageReport, observeMailbox, withdrawReport } from './mailbox-outage.ts';
import {
  classifyMailboxFailure,
  describeProblem,
  type MailboxProblem,
  type MailboxProblemKind,
  retriesLogIn,
} from './mailbox-problem.ts';
import { DEFAULT_WATCHER_TIMING, type WatcherTiming } from './watcher-timing.ts';

export type { WatcherTiming } from './watcher-timing.ts';

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
  logger: Logger;
}

/** Messages listed per round trip while catching up: bounded, so a large backlog never sits in memory. */
const BATCH_SIZE = 200;
/** Message sources fetched per round trip add up to at most this many bytes. */
const BATCH_BYTES = 8_000_000;
/** Disconnected this long (ms) counts as down for customers and health. */
const DOWN_AFTER_MS = 30_000;

class CommandTimeoutError extends Error {}

export function startMailboxWatcher(options: MailboxWatcherOptions) {
  const { imap, logger } = options;
  const timing = { ...DEFAULT_WATCHER_TIMING, ...options.timing };
  let client: ImapFlow | null = null;
  let connected = false;
  let disconnectedSince = Date.now();
  let stopping = false;
  let reconnectAttempts = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let safetyTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let syncFailures = 0;
  /** Non-transient failures per message (`uidValidity:uid`), forgotten once it is processed. */
  const failures = new Map<string, number>();
  let lastMessageAt: Date | null = null;
  /** Why the mailbox is not connected (the last failure, classified); null while connected. */
  let problem: MailboxProblem | null = null;
  let outage = initialOutage(Date.now());
  const catchUp = createCatchUpTracker({ logger, intervalMs: timing.progressIntervalMs });
  const outageTimer = setInterval(observe, Math.min(5_000, Math.max(100, timing.unreachableAlertMs / 4)));
  outageTimer.unref();

  function observe() {
    if (stopping) return;
    const step = observeMailbox(outage, { connected, problem, now: Date.now() }, timing.unreachableAlertMs);
    outage = step.state;
    const report = step.report;
    if (!report || !options.onOutage) return;
    logger.warn(
      {
        report: report.kind === 'problem' ? report.problem.kind : report.kind,
        downSince: new Date(report.downSince),
      },
      'mailbox outage report',
    );
    options.onOutage(report).catch((error) => {
      logger.error({ err: error }, 'could not tell the admins about the mailbox; will try again');
      // Not told: undo the step, so the next observation reports it again.
      outage = withdrawReport(outage, report);
    });
  }

  /** Rejects (and drops the connection) when an IMAP command hangs: a half-open socket must not stall us. */
  function deadline<T>(owner: ImapFlow, work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new CommandTimeoutError(`IMAP ${what} took longer than ${timing.commandTimeoutMs} ms`));
        owner.close();
      }, timing.commandTimeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  async function connect() {
    if (stopping) return;
    const next = new ImapFlow({
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
    client = next;
    next.on('error', (error: Error) => logger.warn({ err: error }, 'imap connection error'));
    next.on('close', () => onClose(next));
    next.on('exists', () => requestSync(next));
    try {
      await deadline(next, next.connect(), 'connect');
      await deadline(next, next.mailboxOpen(imap.mailbox), 'SELECT');
    } catch (error) {
      problem = classifyMailboxFailure(error, { secure: imap.secure });
      const words = describeProblem(problem, imap.mailbox);
      if (problem.kind === 'unreachable') {
        logger.warn({ err: error }, words);
      } else {
        // The server's own words, not imapflow's "Command failed" with the command it sent.
        logger.error({ problem: problem.kind, server: problem.detail }, `${words}: ${problem.detail}`);
      }
      next.close();
      return;
    }
    if (next !== client) return;
    connected = true;
    problem = null;
    reconnectAttempts = 0;
    observe();
    const idle = next.capabilities.has('IDLE');
    logger.info({ mailbox: imap.mailbox, idle }, 'mailbox connected');
    safetyTimer = setInterval(() => requestSync(next), idle ? timing.safetySyncMs : imap.pollSeconds * 1000);
    requestSync(next);
  }

  function onClose(closed: ImapFlow) {
    if (closed !== client) return;
    clearInterval(safetyTimer);
    clearTimeout(retryTimer);
    if (connected) {
      disconnectedSince = Date.now();
      problem = { kind: 'unreachable', detail: 'connection lost' };
    }
    connected = false;
    client = null;
    observe();
    if (stopping) return;
    reconnectAttempts++;
    const policy = problem && retriesLogIn(problem) ? timing.slowRetry : timing.reconnect;
    const delay = nextDelay(reconnectAttempts, policy, Math.random());
    logger.warn({ delayMs: delay, attempt: reconnectAttempts }, 'mailbox connection lost; reconnecting');
    reconnectTimer = setTimeout(() => void connect(), delay);
  }

  /** One sync at a time; an `exists` during a sync makes it run once more afterwards. */
  function requestSync(owner: ImapFlow) {
    if (syncing) {
      syncAgain = true;
      return;
    }
    clearTimeout(retryTimer);
    syncing = (async () => {
      do {
        syncAgain = false;
        try {
          await sync(owner);
          syncFailures = 0;
        } catch (error) {
          if (owner !== client || stopping) break;
          syncFailures++;
          const delay = nextDelay(syncFailures, timing.retry, Math.random());
          logger.error({ err: error, delayMs: delay }, 'mailbox sync failed; will retry');
          retryTimer = setTimeout(() => requestSync(owner), delay);
          retryTimer.unref();
          break;
        }
      } while (syncAgain && owner === client && !stopping);
      catchUp.finish();
    })().finally(() => {
      syncing = null;
    });
  }

  /**
   * Ingests the first of `messages` (and maybe more); a non-transient failure of the first, repeated
   * `maxAttempts` times, records it as failed instead. Returns the outcomes of the messages it handled.
   */
  async function processMessages(messages: readonly IncomingMessage[]): Promise<IngestOutcome[]> {
    const [message] = messages;
    if (!message) return [];
    const key = `${message.uidValidity}:${message.uid}`;
    try {
      const outcomes = await options.ingest(messages);
      failures.delete(key);
      return outcomes;
    } catch (error) {
      if (options.isTransient(error)) throw error;
      const attempts = (failures.get(key) ?? 0) + 1;
      failures.set(key, attempts);
      if (attempts < timing.maxAttempts) throw error;
      logger.error(
        { err: error, uid: message.uid, attempts },
        'message keeps failing; recording it as failed',
      );
      const outcome = await options.giveUp(message, error);
      failures.delete(key);
      return [outcome];
    }
  }

  async function sync(owner: ImapFlow) {
    const mailbox = owner.mailbox;
    if (!mailbox) return;
    let cursor = await options.cursors.read(imap.mailbox);
    if (!cursor || hasUidValidityChanged(cursor, mailbox.uidValidity)) {
      // First start: begin at the mailbox's current end (no order can predate the service).
      // A recreated mailbox: rescan from the start; each message is recorded once by its Message-ID.
      const startAfter = cursor ? 0 : Math.max(0, mailbox.uidNext - 1);
      if (cursor)
        logger.warn(
          { old: String(cursor.uidValidity), new: String(mailbox.uidValidity) },
          'UIDVALIDITY changed',
        );
      await options.cursors.reset(imap.mailbox, mailbox.uidValidity, startAfter);
      cursor = { uidValidity: mailbox.uidValidity, lastUid: startAfter };
    }
    let lastUid = cursor.lastUid;
    while (!stopping && owner === client) {
      const found = await deadline(owner, owner.search({ uid: `${lastUid + 1}:*` }, { uid: true }), 'SEARCH');
      const waitingOnServer = uidsAfter(found || [], lastUid);
      const batch = nextBatch(waitingOnServer, lastUid, BATCH_SIZE);
      if (batch.length === 0) return;
      catchUp.counted(waitingOnServer.length);
      const listed = await deadline(
        owner,
        owner.fetchAll(
          batch.join(','),
          { uid: true, size: true, internalDate: true, envelope: true },
          { uid: true },
        ),
        'FETCH',
      );
      const ordered = listed.map((m) => ({ ...m, size: m.size ?? 0 })).sort((a, b) => a.uid - b.uid);
      for (const chunk of sizeBoundedChunks(ordered, BATCH_BYTES)) {
        const small = chunk.filter((m) => m.size <= options.maxBytes).map((m) => m.uid);
        const sources = new Map<number, Buffer>();
        if (small.length > 0) {
          const fetched = await deadline(
            owner,
            owner.fetchAll(small.join(','), { uid: true, source: true }, { uid: true }),
            'FETCH source',
          );
          for (const m of fetched) if (m.source) sources.set(m.uid, m.source);
        }
        let waiting: IncomingMessage[] = chunk.map((message) => ({
          mailbox: imap.mailbox,
          uidValidity: cursor.uidValidity,
          uid: message.uid,
          size: message.size,
          raw: sources.get(message.uid) ?? null,
          envelope: {
            messageId: message.envelope?.messageId ?? null,
            subject: message.envelope?.subject ?? '',
            from: message.envelope?.from?.[0]?.address ?? '',
          },
          receivedAt: message.internalDate ? new Date(message.internalDate) : null,
        }));
        while (waiting.length > 0) {
          if (stopping || owner !== client) return;
          const outcomes = await processMessages(waiting);
          // One line per run: a catch-up logs once per batch, not once per message.
          const processed = outcomes.map((outcome, i) => ({ uid: waiting[i]?.uid, outcome: outcome.kind }));
          logger.info({ messages: processed }, 'messages processed');
          lastUid = waiting[outcomes.length - 1]?.uid ?? lastUid;
          waiting = waiting.slice(outcomes.length);
          catchUp.processed(outcomes.length);
          lastMessageAt = new Date();
        }
      }
    }
  }

  void connect();

  return {
    state(): MailboxState {
      if (connected) return 'connected';
      return Date.now() - disconnectedSince >= DOWN_AFTER_MS ? 'down' : 'connecting';
    },
    lastMessageAt: () => lastMessageAt,
    /** Why the mailbox is not connected (the last failure, classified); null while connected. */
    problem: (): MailboxProblemKind | null => problem?.kind ?? null,
    /** The catch-up under way (messages done of the backlog, rate, time left); null when there is none. */
    catchUp: (): CatchUpFigures | null => catchUp.figures(),
    /** Finishes the message in hand, then logs out. */
    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      clearTimeout(retryTimer);
      clearInterval(safetyTimer);
      clearInterval(outageTimer);
      await syncing;
      catchUp.finish();
      const current = client;
      client = null;
      connected = false;
      if (current) await Promise.race([current.logout().catch(() => {}), delay(2_000)]);
      current?.close();
    },
  };
}

function delay(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export type MailboxWatcher = ReturnType<typeof startMailboxWatcher>;
