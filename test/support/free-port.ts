// Ports for servers a test starts later (a service's HTTP_PORT, a Dovecot): a port the kernel handed out for
// `listen(0)` and that was closed again can be taken meanwhile — by another test file's probe, or as the local
// port of any outgoing connection — and the later listen fails with EADDRINUSE. So the ports come from below the
// kernel's ephemeral range (which only explicit binds use), from a block of their own per vitest worker, in turn,
// each checked to be bindable now.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const BLOCK = 500;
const LOWEST = 10_000;

/** The first port the kernel uses for ephemeral ports (Linux's default when it cannot be read). */
function ephemeralStart(): number {
  try {
    const first = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(first) && first > LOWEST + BLOCK ? first : 32_768;
  } catch {
    return 32_768;
  }
}

const blocks = Math.floor((ephemeralStart() - LOWEST) / BLOCK);
/** Workers running at once have distinct pool ids (1 … maxWorkers); a benchmark has none. */
const block = Number(process.env.VITEST_POOL_ID ?? 0) % blocks;
const blockStart = LOWEST + block * BLOCK;
/** Files run one after another in a worker's block: start each at a random place in it. */
let next = Math.floor(Math.random() * BLOCK);

/** Whether a server could listen on the port now. */
export function bindable(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = blockStart + (next++ % BLOCK);
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port in ${blockStart}–${blockStart + BLOCK - 1}`);
}
