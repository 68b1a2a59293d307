// One HTTP request of the outbox, over node:http(s): bounded in time (AbortSignal) and in what is read back,
// no redirects followed, and (unless private notify addresses are allowed) never to a private address.
import http from 'node:http';
import https from 'node:https';
import { guardedLookup, REFUSED_ADDRESS, refusedLiteral } from './guarded-lookup.ts';

export interface WebRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export type WebReply =
  | { kind: 'reply'; status: number; body: string }
  | { kind: 'timeout' }
  | { kind: 'network'; code: string }
  | { kind: 'refused_address'; address: string }
  /** The service is stopping: not a try, the delivery is left for the next claim. */
  | { kind: 'stopped' };

/** Enough for `success` and a short excerpt; the rest of a large reply is not read. */
const MAX_REPLY_BYTES = 16 * 1024;

export async function sendWebRequest(
  request: WebRequest,
  options: { timeoutMs: number; allowPrivate: boolean; stop: AbortSignal },
): Promise<WebReply> {
  const url = new URL(request.url);
  const literal = options.allowPrivate ? null : refusedLiteral(url.hostname);
  if (literal) return { kind: 'refused_address', address: literal };
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), options.stop]);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebReply>((resolve) => {
    const failed = (error: unknown) => resolve(failure(error, signal));
    const req = client.request(
      url,
      {
        method: request.method,
        headers: request.headers,
        signal,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          resolve({
            kind: 'reply',
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, MAX_REPLY_BYTES - size));
          size += chunk.length;
          if (size >= MAX_REPLY_BYTES) {
            done();
            res.destroy();
          }
        });
        res.on('end', done);
        res.on('error', failed);
      },
    );
    req.on('error', failed);
    req.end(request.body);
  });
}

function failure(error: unknown, signal: AbortSignal): WebReply {
  if (signal.aborted) {
    return (signal.reason as Error | undefined)?.name === 'TimeoutError'
      ? { kind: 'timeout' }
      : { kind: 'stopped' };
  }
  const { code, address } = error as { code?: unknown; address?: unknown };
  if (code === REFUSED_ADDRESS) return { kind: 'refused_address', address: String(address) };
  return { kind: 'network', code: typeof code === 'string' ? code : 'error' };
}
