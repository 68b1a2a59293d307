// The operator's app receiving mailpay's events over real HTTP: checks `Mailpay-Signature: t=<unix>,v1=<hex>`
// (HMAC-SHA256 of "<t>.<raw body>" under the shared secret, compared in constant time, t within 5 minutes)
// the way a receiver of Stripe-style signatures does, and answers 2xx only to events that verify.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

export interface ReceivedEvent {
  eventId: string | undefined;
  verified: boolean;
  body: unknown;
}

export async function startEventsReceiver(secret: string, status = 204) {
  const received: ReceivedEvent[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const verified = req.method === 'POST' && signatureValid(String(req.headers['mailpay-signature']), raw);
      const eventId = req.headers['mailpay-event-id'] as string | undefined;
      received.push({ eventId, verified, body: verified ? JSON.parse(raw) : null });
      res.writeHead(verified ? status : 400).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  function signatureValid(header: string, raw: string): boolean {
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    if (!match?.[1] || !match[2]) return false;
    if (Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
    const expected = createHmac('sha256', secret).update(`${match[1]}.${raw}`).digest();
    return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
  }

  return {
    url: `http://127.0.0.1:${port}/mailpay/events`,
    received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
