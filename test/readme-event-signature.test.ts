// The README's snippet for verifying an event's Mailpay-Signature, run as printed against the signature the
// service sends: it accepts a fresh genuine one and refuses a changed body, another key and an old time.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { eventSignatureHeader } from '../src/modules/events/event-signature.ts';

type Verify = (header: string, rawBody: string, secret: string) => boolean;

async function readmeVerifier(): Promise<Verify> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const block =
    /```js\n(import \{ createHmac, timingSafeEqual \} from 'node:crypto';\n)(function verifyMailpay[\s\S]*?)```/.exec(
      readme,
    );
  if (!block?.[2]) throw new Error('README has no verifyMailpay snippet');
  expect(block[0].split('\n').length - 2).toBeLessThanOrEqual(10);
  return new Function('createHmac', 'timingSafeEqual', `${block[2]}\nreturn verifyMailpay;`)(
    createHmac,
    timingSafeEqual,
  );
}

describe("the README's event signature check", () => {
  it('accepts what the service signs and refuses tampering, another secret and an old timestamp', async () => {
    const verify = await readmeVerifier();
    const body = JSON.stringify({
      id: 'evt_1',
      type: 'balance.debited',
      data: { amount: '1.00', reason: '充值' },
    });
    const secret = 'whsec-0123456789abcdef';
    expect(verify(eventSignatureHeader(secret, body, new Date()), body, secret)).toBe(true);
    expect(verify(eventSignatureHeader(secret, body, new Date()), body.replace('1.00', '9.00'), secret)).toBe(
      false,
    );
    expect(verify(eventSignatureHeader('another-secret-123', body, new Date()), body, secret)).toBe(false);
    expect(verify(eventSignatureHeader(secret, body, new Date(Date.now() - 3_600_000)), body, secret)).toBe(
      false,
    );
    expect(verify('t=abc,v1=00', body, secret)).toBe(false);
  });
});
