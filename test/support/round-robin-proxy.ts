// A load balancer for tests: each request goes to the next of the given backends, as a round-robin proxy
// in front of several instances would send it; a backend that does not answer gives 502.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startRoundRobinProxy(backends: () => readonly number[]) {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const ports = backends();
    const port = ports[next++ % Math.max(1, ports.length)];
    if (port === undefined) return void outgoing.writeHead(502).end();
    const forwarded = httpRequest(
      { host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
