// Watches the notification mailbox over IMAP IDLE and feeds every new message, in UID order, to ingestion.
import { ImapFlow } from 'imapflow';
import type { IncomingMessage, IngestOutcome } from '../../app/ingest-message.ts';
import type { Logger, MailboxState } from '../../app/ports.ts';
import { nextDelay } from '../../domain/backoff.ts';
import { hasUidValidityChanged, type MailboxCursor, nextBatch } from '../../domain/imap-cursor.ts';

export interface MailboxWatcherOptions {
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password: string;
    mailbox: string;
    pollSeconds: number;
  };
  maxBytes: number;
  cursors: {
    read(mailbox: string): Promise<MailboxCursor | null>;
    reset(mailbox: string, uidValidity: bigint, lastUid: number): Promise<void>;
  };
  ingest: (message: IncomingMessage) => Promise<IngestOutcome>;
  logger: Logger;
}

const RECONNECT = { baseMs: 1_000, maxMs: 60_000 };
/** Messages fetched per round trip while catching up: bounded, so a large backlog never sits in memory. */
const BATCH_SIZE = 50;
/** With IDLE, still look every few minutes: some servers drop IDLE silently. */
const SAFETY_SYNC_MS = 5 * 60_000;
/** Disconnected this long (ms) counts as down for customers and health. */
const DOWN_AFTER_MS = 30_000;

export function startMailboxWatcher(options: MailboxWatcherOptions) {
  const { imap, logger } = options;
  let client: ImapFlow | null = null;
  let connected = false;
  let disconnectedSince = Date.now();
  let stopping = false;
  let reconnectAttempts = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let safetyTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let lastMessageAt: Date | null = null;

  async function connect() {
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
      socketTimeout: 5 * 60_000,
    });
    client = next;
    next.on('error', (error: Error) => logger.warn({ err: error }, 'imap connection error'));
    next.on('close', () => onClose(next));
    next.on('exists', () => requestSync(next));
    try {
      await next.connect();
      await next.mailboxOpen(imap.mailbox);
    } catch (error) {
      logger.warn({ err: error }, 'imap connect failed');
      next.close();
      return;
    }
    connected = true;
    reconnectAttempts = 0;
    logger.info({ mailbox: imap.mailbox, idle: next.capabilities.has('IDLE') }, 'mailbox connected');
    const interval = next.capabilities.has('IDLE') ? SAFETY_SYNC_MS : imap.pollSeconds * 1000;
    safetyTimer = setInterval(() => requestSync(next), interval);
    requestSync(next);
  }

  function onClose(closed: ImapFlow) {
    if (closed !== client) return;
    clearInterval(safetyTimer);
    if (connected) disconnectedSince = Date.now();
    connected = false;
    client = null;
    if (stopping) return;
    reconnectAttempts++;
    const delay = nextDelay(reconnectAttempts, RECONNECT, Math.random());
    logger.warn({ delayMs: delay, attempt: reconnectAttempts }, 'mailbox connection lost; reconnecting');
    reconnectTimer = setTimeout(() => void connect(), delay);
  }

  /** One sync at a time; an `exists` during a sync makes it run once more afterwards. */
  function requestSync(owner: ImapFlow) {
    if (syncing) {
      syncAgain = true;
      return;
    }
    syncing = (async () => {
      do {
        syncAgain = false;
        try {
          await sync(owner);
        } catch (error) {
          if (owner === client && !stopping) logger.error({ err: error }, 'mailbox sync failed; will retry');
          if (owner === client && !stopping) setTimeout(() => requestSync(owner), 2_000).unref();
          break;
        }
      } while (syncAgain && owner === client && !stopping);
    })().finally(() => {
      syncing = null;
    });
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
      const found = await owner.search({ uid: `${lastUid + 1}:*` }, { uid: true });
      const batch = nextBatch(found || [], lastUid, BATCH_SIZE);
      if (batch.length === 0) return;
      const listed = await owner.fetchAll(
        batch.join(','),
        { uid: true, size: true, internalDate: true, envelope: true },
        { uid: true },
      );
      const small = listed.filter((m) => (m.size ?? 0) <= options.maxBytes).map((m) => m.uid);
      const sources = new Map<number, Buffer>();
      if (small.length > 0) {
        for (const m of await owner.fetchAll(small.join(','), { uid: true, source: true }, { uid: true })) {
          if (m.source) sources.set(m.uid, m.source);
        }
      }
      for (const message of listed.sort((a, b) => a.uid - b.uid)) {
        if (stopping || owner !== client) return;
        const outcome = await options.ingest({
          mailbox: imap.mailbox,
          uidValidity: cursor.uidValidity,
          uid: message.uid,
          size: message.size ?? 0,
          raw: sources.get(message.uid) ?? null,
          envelope: {
            messageId: message.envelope?.messageId ?? null,
            subject: message.envelope?.subject ?? '',
            from: message.envelope?.from?.[0]?.address ?? '',
          },
          receivedAt: message.internalDate ? new Date(message.internalDate) : null,
        });
        logger.info({ uid: message.uid, outcome: outcome.kind }, 'message processed');
        lastUid = message.uid;
        lastMessageAt = new Date();
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
    /** Finishes the message in hand, then logs out. */
    async stop() {
      stopping = true;
      clearTimeout(reconnectTimer);
      clearInterval(safetyTimer);
      await syncing;
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
