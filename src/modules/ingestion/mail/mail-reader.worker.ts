// The mail-reader thread: reads each message it is sent (decode + parse) and answers with the result.
import { parentPort, workerData } from 'node:worker_threads';
import type { NotificationRule } from '../../payments/notification/rules.ts';
import { readMail } from './read-mail.ts';

const { rules } = workerData as { rules: NotificationRule[] };

parentPort?.on('message', async ({ id, raw }: { id: number; raw: Uint8Array }) => {
  const reading = await readMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), rules);
  parentPort?.postMessage({ id, reading });
});
// Loaded: from now on the host times each message, not the thread's start-up.
parentPort?.postMessage({ ready: true });
