// The watcher on its own, against a real Dovecot, with ingestion replaced: retries, give-ups, poll mode.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type MailboxWatcher, startMailboxWatcher } from '../src/adapters/imap/mailbox-watcher.ts';
import {
  AuthenticationUnavailableError,
  type IncomingMessage,
  type IngestOutcome,
  isTransientIngestError,
} from '../src/app/ingest-message.ts';
import type { MailboxCursor } from '../src/domain/imap-cursor.ts';
import { startDovecot, type TestDovecot } from './support/dovecot.ts';
import { eventually } from './support/stack.ts';

const silent = { info() {}, warn() {}, error() {}, debug() {} };

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
  function watch(ingest: (message: IncomingMessage) => Promise<IngestOutcome>, pollSeconds = 30) {
    let cursor: MailboxCursor | null = null;
    const processed: number[] = [];
    const givenUp: Array<{ uid: number; error: string }> = [];
    const advance = (message: IncomingMessage) => {
      if (cursor) cursor = { ...cursor, lastUid: Math.max(cursor.lastUid, message.uid) };
    };
    watcher = startMailboxWatcher({
      imap: {
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        user: dovecot.user,
        password: dovecot.password,
        mailbox: 'INBOX',
        pollSeconds,
      },
      maxBytes: 1_000_000,
      cursors: {
        read: async () => cursor,
        reset: async (_mailbox, uidValidity, lastUid) => {
          cursor = { uidValidity, lastUid };
        },
      },
      ingest: async (message) => {
        const outcome = await ingest(message);
        advance(message);
        processed.push(message.uid);
        return outcome;
      },
      isTransient: isTransientIngestError,
      giveUp: async (message, error) => {
        advance(message);
        givenUp.push({ uid: message.uid, error: String(error) });
        return { kind: 'failed', paymentId: 0, reason: 'processing error' };
      },
      timing: { retry: { baseMs: 50, maxMs: 200 }, maxAttempts: 3 },
      logger: silent,
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

  it('retries a message through a transient failure (DKIM keys unreachable) as long as it lasts, never giving up', async () => {
    let failuresLeft = 8;
    const w = watch(async (message) => {
      if (failuresLeft-- > 0) throw new AuthenticationUnavailableError('d=qq.com temperror (DNS failure)');
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
});
