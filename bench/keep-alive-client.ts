// A keep-alive HTTP/1.1 client as light as a load generator should be (wrk's way): one socket, one request at
// a time, written in one piece, the answer read by its Content-Length (or chunks). A benchmark that runs its
// clients on the service's own thread (to keep the machine's second core for the database) would otherwise
// spend that thread on node:http's client or fetch as much as on the server it measures.
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  body: string;
}

export interface KeepAliveClient {
  get(path: string): Promise<Answer>;
  /** POSTs a form and resolves to the answer's status and body. */
  postForm(path: string, body: string): Promise<Answer>;
  close(): void;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export function openKeepAliveClient(options: {
  host: string;
  port: number;
  localAddress?: string;
}): Promise<KeepAliveClient> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ ...options, noDelay: true }, () => {
      socket.off('error', reject);
      resolve(clientOn(socket, `${options.host}:${options.port}`));
    });
    socket.once('error', reject);
  });
}

function clientOn(socket: Socket, hostHeader: string): KeepAliveClient {
  let received: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (answer: Answer) => void; reject: (e: Error) => void } | null = null;
  socket.on('data', (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    if (!waiting) return;
    const answer = readAnswer(received);
    if (answer === 'incomplete') return;
    if (answer instanceof Error) return fail(answer);
    received = received.subarray(answer.end);
    const done = waiting;
    waiting = null;
    done.resolve(answer);
  });
  const fail = (error: Error) => {
    const failed = waiting;
    waiting = null;
    failed?.reject(error);
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  const exchange = (request: string): Promise<Answer> => {
    if (waiting) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      waiting = { resolve, reject };
      socket.write(request);
    });
  };
  return {
    get: (path) => exchange(`GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`),
    postForm: (path, body) =>
      exchange(
        `POST ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      ),
    close: () => socket.destroy(),
  };
}

/** The first answer in `data` (by Content-Length, or chunked, as node:http sends after `writeHead`). */
function readAnswer(data: Buffer): (Answer & { end: number }) | 'incomplete' | Error {
  const headEnd = data.indexOf(HEAD_END);
  if (headEnd < 0) return 'incomplete';
  const head = data.subarray(0, headEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  let at = headEnd + HEAD_END.length;
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1];
  if (length !== undefined) {
    const end = at + Number(length);
    return data.length < end ? 'incomplete' : { status, body: data.subarray(at, end).toString('utf8'), end };
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(head)) return new Error(`answer of no length: ${head}`);
  const parts: Buffer[] = [];
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return 'incomplete';
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    const next = lineEnd + 2 + size + 2;
    if (data.length < next) return 'incomplete';
    if (size === 0) return { status, body: Buffer.concat(parts).toString('utf8'), end: next };
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = next;
  }
}
