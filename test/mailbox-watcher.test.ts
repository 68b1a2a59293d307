// The watcher on its own, against a real Dovecot, with ingestion replaced: retries, give-ups, poll mode.

import { createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../src/modules/ingestion/mail/examine-message.ts';
import type { MailboxCursor } from '../src/modules/ingestion/mail/imap-cursor.ts';
import { type IngestOutcome, isTransientIngestError } from '../src/modules/ingestion/mail/ingest-message.ts';
import {
  type MailboxWatcher,
  startMailboxWatcher,
  type WatcherTiming,
} from '../src/modules/ingestion/mail/mailbox-watcher.ts';
import type { Logger } from '../src/shared/ports.ts';
import { startDovecot, type TestDovecot } from './support/dovecot.ts';
import { eventually } from './support/eventually.ts';
import { freePort } from './support/free-port.ts';

const silent: Logger = { info() {}, warn() {}, error() {}, debug() {} };

function mail(n: number): string {
  return `From: a@example.test\r\nSubject: message ${n}\r\nMessage-ID: <m${n}-${Date.now()}@example.test>\r\n\r\nbody ${n}\r\n`;
}

describe('the mailbox watcher', () => {
  let dovecot: TestDovecot;
  let watcher: MailboxWatcher | null = null;
  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterEach(async () => {
    await watcher?.stop();
    watcher = null;
  });
  afterAll(async () => {
    await dovecot?.dispose();
  });

  /** A watcher whose ingestion is `ingest`; the cursor moves only when it returns, as in the real transaction. */
  function watch(
    ingest: (message: IncomingMessage) => Promise<IngestOutcome>,
    options: {
      server?: { host: string; port: number };
      pollSeconds?: number;
      logger?: Logger;
      timing?: Partial<WatcherTiming>;
    } = {},
  ) {
    const server = options.server ?? dovecot;
    let cursor: MailboxCursor | null = null;
    const processed: number[] = [];
    const givenUp: Array<{ uid: number; error: string }> = [];
    const advance = (message: IncomingMessage) => {
      if (cursor) cursor = { ...cursor, lastUid: Math.max(cursor.lastUid, message.uid) };
    };
    watcher = startMailboxWatcher({
      imap: {
        host: server.host,
        port: server.port,
        secure: false,
        user: dovecot.user,
        password: dovecot.password,
        mailbox: 'INBOX',
        pollSeconds: options.pollSeconds ?? 30,
      },
      maxBytes: 1_000_000,
      cursors: {
        read: async () => cursor,
        reset: async (_mailbox, uidValidity, lastUid) => {
          cursor = { uidValidity, lastUid };
        },
      },
      // One message at a time: the watcher must accept any non-empty run of outcomes.
      ingest: async ([message]) => {
        if (!message) return [];
        const outcome = await ingest(message);
        advance(message);
        processed.push(message.uid);
        return [outcome];
      },
      isTransient: isTransientIngestError,
      giveUp: async (message, error) => {
        advance(message);
        givenUp.push({ uid: message.uid, error: String(error) });
        return { kind: 'failed', paymentId: 0, reason: 'processing error' };
      },
      timing: { retry: { baseMs: 50, maxMs: 200 }, maxAttempts: 3, ...options.timing },
      logger: options.logger ?? silent,
    });
    const running = watcher;
    return {
      processed,
      givenUp,
      connected: () => eventually(async () => (running.state() === 'connected' ? true : undefined)),
    };
  }

  it('records a message that keeps throwing as failed after three attempts and goes on to the next', async () => {
    const attempts = new Map<number, number>();
    let poison = -1;
    const w = watch(async (message) => {
      attempts.set(message.uid, (attempts.get(message.uid) ?? 0) + 1);
      if (message.uid === poison) throw new TypeError('a bug in processing');
      return { kind: 'ignored', paymentId: message.uid };
    });
    await w.connected();
    poison = await dovecot.append(mail(1));
    const after = await dovecot.append(mail(2));

    await eventually(async () => (w.processed.includes(after) ? true : undefined));
    expect(w.givenUp).toEqual([{ uid: poison, error: 'TypeError: a bug in processing' }]);
    expect(attempts.get(poison)).toBe(3);
    expect(w.processed).toEqual([after]);
  });

  it('retries a message through a transient failure (the database unreachable) as long as it lasts, never giving up', async () => {
    let failuresLeft = 8;
    const w = watch(async (message) => {
      if (failuresLeft-- > 0)
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return { kind: 'ignored', paymentId: message.uid };
    });
    await w.connected();
    const uid = await dovecot.append(mail(3));
    const next = await dovecot.append(mail(4));

    await eventually(async () => (w.processed.includes(next) ? true : undefined), 20_000);
    expect(w.givenUp).toEqual([]);
    expect(w.processed).toEqual([uid, next]);
    expect(failuresLeft).toBeLessThan(0);
  });

  it('treats a lost database connection as transient and a constraint violation as not', () => {
    const wrapped = (cause: object) => Object.assign(new Error('Failed query'), { cause });
    expect(isTransientIngestError(wrapped({ code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientIngestError(wrapped({ code: 'CONNECTION_CLOSED' }))).toBe(true);
    expect(isTransientIngestError(wrapped({ code: '57P01' }))).toBe(true);
    expect(isTransientIngestError(wrapped({ code: '08006' }))).toBe(true);
    expect(isTransientIngestError(wrapped({ code: '23505' }))).toBe(false);
    expect(isTransientIngestError(wrapped({ code: '22P02' }))).toBe(false);
    expect(isTransientIngestError(new TypeError('x is undefined'))).toBe(false);
  });

  it('polls every IMAP_POLL_SECONDS where the server offers no IDLE', async () => {
    const noIdle = await startDovecot({
      extraConfig: 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE SORT UIDPLUS\n',
    });
    try {
      const connected: unknown[] = [];
      const logger = {
        ...silent,
        info: (obj: object, msg?: string) => msg === 'mailbox connected' && connected.push(obj),
      };
      const w = watch(async (message) => ({ kind: 'ignored', paymentId: message.uid }), {
        server: noIdle,
        pollSeconds: 1,
        logger,
      });
      await w.connected();
      expect(connected).toEqual([{ mailbox: 'INBOX', idle: false }]);
      const uid = await noIdle.append(mail(5));
      const appendedAt = Date.now();
      await eventually(async () => (w.processed.includes(uid) ? true : undefined), 5_000);
      console.log(`no IDLE: seen ${Date.now() - appendedAt} ms after APPEND with IMAP_POLL_SECONDS=1`);
    } finally {
      await watcher?.stop();
      watcher = null;
      await noIdle.dispose();
    }
  });

  it('drops a connection whose command never gets an answer and connects again', async () => {
    // A server that greets and then says nothing: a hung peer behind a half-open connection.
    const sockets: Socket[] = [];
    let closed = 0;
    const silentServer = createServer((socket) => {
      sockets.push(socket);
      socket.on('close', () => closed++);
      socket.resume();
      socket.on('error', () => {});
      socket.write('* OK IMAP4rev1 ready\r\n');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => silentServer.listen(port, '127.0.0.1', resolve));
    try {
      const w = watch(async (message) => ({ kind: 'ignored', paymentId: message.uid }), {
        server: { host: '127.0.0.1', port },
        timing: { commandTimeoutMs: 300, reconnect: { baseMs: 100, maxMs: 200 } },
      });
      // Each hung connection is dropped by the command deadline, and a new one is made.
      await eventually(async () => (closed >= 2 && sockets.length >= 3 ? true : undefined), 10_000);
      expect(watcher?.state()).not.toBe('connected');
      expect(w.processed).toEqual([]);
    } finally {
      await watcher?.stop();
      watcher = null;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silentServer.close(resolve));
    }
  });
});
