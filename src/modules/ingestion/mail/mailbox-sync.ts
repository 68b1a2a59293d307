// One sync pass over the open mailbox: every message after the cursor, in UID order, fetched in bounded
// batches and handed to ingestion. The watcher runs one pass at a time and decides what follows it.
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type { Logger } from '../../../shared/ports.ts';
import type { createCatchUpTracker } from './catch-up-tracker.ts';
import type { IncomingMessage } from './examine-message.ts';
import {
  hasUidValidityChanged,
  type MailboxCursor,
  nextBatch,
  sizeBoundedChunks,
  uidsAfter,
} from './imap-cursor.ts';
import type { IngestOutcome } from './ingest-message.ts';

/** Messages listed per round trip while catching up: bounded, so a large backlog never sits in memory. */
const BATCH_SIZE = 200;
/** Message sources fetched per round trip add up to at most this many bytes. */
const BATCH_BYTES = 8_000_000;

export interface SyncPass {
  client: ImapFlow;
  mailbox: string;
  maxBytes: number;
  cursors: {
    read(mailbox: string): Promise<MailboxCursor | null>;
    reset(mailbox: string, uidValidity: bigint, lastUid: number): Promise<void>;
  };
  /** Bounds an IMAP command in time (and drops the connection when it hangs). */
  deadline: <T>(work: Promise<T>, what: string) => Promise<T>;
  /** Processes the first of the messages, and maybe more; returns the outcomes of those it handled. */
  process: (messages: readonly IncomingMessage[]) => Promise<IngestOutcome[]>;
  /** False once the watcher stops or this connection is no longer its own: the pass ends. */
  isCurrent: () => boolean;
  catchUp: ReturnType<typeof createCatchUpTracker>;
  logger: Logger;
}

export async function syncMailbox(pass: SyncPass): Promise<void> {
  const cursor = await currentCursor(pass);
  if (!cursor) return;
  let lastUid = cursor.lastUid;
  while (pass.isCurrent()) {
    const found = await pass.deadline(
      pass.client.search({ uid: `${lastUid + 1}:*` }, { uid: true }),
      'SEARCH',
    );
    const waitingOnServer = uidsAfter(found || [], lastUid);
    const batch = nextBatch(waitingOnServer, lastUid, BATCH_SIZE);
    if (batch.length === 0) return;
    pass.catchUp.counted(waitingOnServer.length);
    if (!pass.isCurrent()) return;
    const listed = await pass.deadline(
      pass.client.fetchAll(
        batch.join(','),
        { uid: true, size: true, internalDate: true, envelope: true },
        { uid: true },
      ),
      'FETCH',
    );
    const ordered = listed.map((m) => ({ ...m, size: m.size ?? 0 })).sort((a, b) => a.uid - b.uid);
    for (const chunk of sizeBoundedChunks(ordered, BATCH_BYTES)) {
      if (!pass.isCurrent()) return;
      const messages = await fetchSources(pass, chunk, cursor.uidValidity);
      const done = await processAll(pass, messages);
      if (done === null) return;
      lastUid = done;
    }
  }
}

/**
 * The cursor to sync from. First start: the mailbox's current end (no order can predate the service).
 * A recreated mailbox (UIDVALIDITY changed): rescan from the start; each message is recorded once by its key.
 */
async function currentCursor(pass: SyncPass): Promise<MailboxCursor | null> {
  const opened = pass.client.mailbox;
  if (!opened) return null;
  const cursor = await pass.cursors.read(pass.mailbox);
  if (cursor && !hasUidValidityChanged(cursor, opened.uidValidity)) return cursor;
  const startAfter = cursor ? 0 : Math.max(0, opened.uidNext - 1);
  if (cursor) {
    pass.logger.warn(
      { old: String(cursor.uidValidity), new: String(opened.uidValidity) },
      'UIDVALIDITY changed',
    );
  }
  await pass.cursors.reset(pass.mailbox, opened.uidValidity, startAfter);
  return { uidValidity: opened.uidValidity, lastUid: startAfter };
}

/** The chunk's messages with their sources; a message over the size cap comes with its envelope only. */
async function fetchSources(
  pass: SyncPass,
  chunk: ReadonlyArray<FetchMessageObject & { size: number }>,
  uidValidity: bigint,
): Promise<IncomingMessage[]> {
  const small = chunk.filter((m) => m.size <= pass.maxBytes).map((m) => m.uid);
  const sources = new Map<number, Buffer>();
  if (small.length > 0) {
    const fetched = await pass.deadline(
      pass.client.fetchAll(small.join(','), { uid: true, source: true }, { uid: true }),
      'FETCH source',
    );
    for (const m of fetched) if (m.source) sources.set(m.uid, m.source);
  }
  return chunk.map((message) => ({
    mailbox: pass.mailbox,
    uidValidity,
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
}

/** Processes `messages` run by run; returns the last UID processed, or null when the pass must end. */
async function processAll(pass: SyncPass, messages: readonly IncomingMessage[]): Promise<number | null> {
  let waiting = messages;
  let lastUid: number | null = null;
  while (waiting.length > 0) {
    if (!pass.isCurrent()) return null;
    const outcomes = await pass.process(waiting);
    // One line per run: a catch-up logs once per batch, not once per message.
    const processed = outcomes.map((outcome, i) => ({ uid: waiting[i]?.uid, outcome: outcome.kind }));
    pass.logger.info({ messages: processed }, 'messages processed');
    lastUid = waiting[outcomes.length - 1]?.uid ?? lastUid;
    waiting = waiting.slice(outcomes.length);
    pass.catchUp.processed(outcomes.length);
  }
  return lastUid;
}
