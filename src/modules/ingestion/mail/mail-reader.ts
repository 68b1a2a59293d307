// Reads messages (decode + parse) in one long-lived worker thread with a deadline per message: a message that
// takes too long is cut off by ending the thread — the next message gets a fresh one — so it never holds the
// watcher. One thread is reused for every message: a catch-up of thousands pays for one start-up.
import { Worker } from 'node:worker_threads';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import type { MailReading, ReadMail } from './read-mail.ts';

interface Thread {
  worker: Worker;
  /** Resolves once the thread has loaded the decoder and the rules; rejects when it cannot start. */
  ready: Promise<void>;
}

/** From the sources (tests, tsx) the thread must load TypeScript too: it registers tsx before the entry. */
function startThread(rules: readonly NotificationRule[]): Thread {
  const fromSources = import.meta.url.endsWith('.ts');
  const entry = new URL(`./mail-reader.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url);
  const workerData = { rules };
  let worker: Worker;
  if (fromSources) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
    worker = new Worker(bootstrap, { eval: true, workerData });
  } else {
    worker = new Worker(entry, { workerData });
  }
  // The thread never keeps the process alive; `close` ends it on shutdown.
  worker.unref();
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: { ready?: boolean }) => {
      if (!message.ready) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve();
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`mail reader thread exited at start-up (${code})`)));
  });
  return { worker, ready };
}

export function startMailReader(options: { rules: readonly NotificationRule[]; timeoutMs: number }) {
  let thread: Thread | null = null;
  let nextId = 0;
  /** One message at a time, so each deadline measures that message alone. */
  let queue: Promise<unknown> = Promise.resolve();

  async function readInThread(raw: Buffer): Promise<MailReading> {
    const started = thread ?? startThread(options.rules);
    thread = started;
    try {
      await started.ready;
    } catch (error) {
      if (thread === started) thread = null;
      throw error;
    }
    return askThread(started.worker, ++nextId, raw, options.timeoutMs, () => {
      if (thread === started) thread = null;
    });
  }

  const read: ReadMail = (raw) => {
    const reading = queue.then(() => readInThread(raw));
    queue = reading.catch(() => {});
    return reading;
  };

  return {
    read,
    async close() {
      const current = thread;
      thread = null;
      await current?.worker.terminate();
    },
  };
}

export type MailReader = ReturnType<typeof startMailReader>;

/**
 * Sends `raw` to the thread and waits for its reading. A thread that fails, exits, or overruns the deadline
 * (it is then ended) is lost: `onLost` lets the next message start a fresh one.
 */
function askThread(
  worker: Worker,
  id: number,
  raw: Buffer,
  timeoutMs: number,
  onLost: () => void,
): Promise<MailReading> {
  return new Promise<MailReading>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onFailure);
    };
    const onMessage = (answer: { id: number; reading: MailReading }) => {
      if (answer.id !== id) return;
      done();
      resolve(answer.reading);
    };
    const onFailure = (error: unknown) => {
      done();
      onLost();
      reject(error instanceof Error ? error : new Error(`mail reader thread exited (${String(error)})`));
    };
    const timer = setTimeout(() => {
      done();
      onLost();
      void worker.terminate();
      resolve({ kind: 'timeout', timeoutMs });
    }, timeoutMs);
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onFailure);
    worker.postMessage({ id, raw });
  });
}
