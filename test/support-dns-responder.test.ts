// Self-test for the local DNS responder: node's resolver, long TXT records, UDP truncation, TCP.
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsResponder, startDnsResponder } from './support/dns-responder.ts';

function resolverFor(d: DnsResponder): dns.promises.Resolver {
  const r = new dns.promises.Resolver({ timeout: 2_000, tries: 1 });
  r.setServers([d.server]);
  return r;
}

// A plain TXT query without EDNS, so the classic 512-byte UDP limit applies.
function txtQuery(name: string, id = 0x1234): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  return Buffer.concat([header, ...labels, Buffer.from([0, 0, 16, 0, 1])]);
}

function udpAsk(d: DnsResponder, query: Buffer): Promise<Buffer> {
  const [host, port] = d.server.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket('udp4');
    sock.once('message', (msg) => {
      sock.close();
      resolve(msg);
    });
    sock.once('error', reject);
    sock.send(query, Number(port), host);
  });
}

function tcpAsk(d: DnsResponder, query: Buffer): Promise<Buffer> {
  const [host, port] = d.server.split(':') as [string, string];
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port: Number(port) });
    let buf = Buffer.alloc(0);
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(query.length);
    // Split the write to prove the server reassembles length-prefixed messages.
    sock.write(Buffer.concat([prefix, query.subarray(0, 5)]));
    setTimeout(() => sock.write(query.subarray(5)), 20);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        sock.destroy();
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
    sock.once('error', reject);
  });
}

const longValue = `v=DKIM1; k=rsa; p=${'A'.repeat(300)}${'b'.repeat(132)}`;
// Bigger than both 512 bytes and a 1232-byte EDNS buffer, so node's resolver has to switch to TCP.
const hugeValue = `${'x'.repeat(1000)}${'y'.repeat(1000)}`;

describe('DNS responder', () => {
  let d: DnsResponder;

  beforeAll(async () => {
    d = await startDnsResponder();
    d.setTxt('short.example.test', 'hello world');
    d.setTxt('Long.Example.Test.', longValue);
    d.setTxt('huge.example.test', hugeValue);
  });

  afterAll(async () => {
    await d?.close();
  });

  it('listens on 127.0.0.1 with a port', () => {
    expect(d.server).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('answers a short TXT record through node dns', async () => {
    expect(await resolverFor(d).resolveTxt('short.example.test')).toEqual([['hello world']]);
  });

  it('answers a ~450 character TXT record split into <=255-byte strings', async () => {
    expect(longValue.length).toBeGreaterThan(440);
    const chunks = await resolverFor(d).resolveTxt('long.example.test');
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.every((c) => Buffer.byteLength(c) <= 255)).toBe(true);
    expect(chunks[0]?.join('')).toBe(longValue);
  });

  it('answers a TXT record too big for UDP (resolver retries over TCP)', async () => {
    const chunks = await resolverFor(d).resolveTxt('huge.example.test');
    expect(chunks[0]?.map((c) => c.length)).toEqual([255, 255, 255, 255, 255, 255, 255, 215]);
    expect(chunks[0]?.join('')).toBe(hugeValue);
  });

  it('matches names case-insensitively and sees updates', async () => {
    d.setTxt('short.example.test', 'changed');
    expect(await resolverFor(d).resolveTxt('SHORT.example.TEST')).toEqual([['changed']]);
    d.setTxt('short.example.test', 'hello world');
  });

  it('reports unknown names as ENOTFOUND (NXDOMAIN)', async () => {
    await expect(resolverFor(d).resolveTxt('missing.example.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('returns NODATA, not NXDOMAIN, for other types of a known name', async () => {
    await expect(resolverFor(d).resolve4('short.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('truncates oversize UDP answers without EDNS, and serves them whole over TCP', async () => {
    const query = txtQuery('huge.example.test');
    const overUdp = await udpAsk(d, query);
    expect(overUdp.readUInt16BE(0)).toBe(0x1234);
    expect(overUdp.readUInt16BE(2) & 0x0200).toBe(0x0200); // TC
    expect(overUdp.readUInt16BE(6)).toBe(0); // no answers

    const overTcp = await tcpAsk(d, query);
    expect(overTcp.readUInt16BE(2) & 0x0200).toBe(0);
    expect(overTcp.readUInt16BE(6)).toBe(1);
    expect(overTcp.length).toBeGreaterThan(2000);
    expect(overTcp.includes(Buffer.from('y'.repeat(200)))).toBe(true);
  });

  it('answers NXDOMAIN over raw UDP too', async () => {
    const res = await udpAsk(d, txtQuery('nope.example.test', 7));
    expect(res.readUInt16BE(0)).toBe(7);
    expect(res.readUInt16BE(2) & 0x000f).toBe(3);
  });

  it('stays silent for one domain and the names under it, answers others, and counts the queries', async () => {
    d.setTxt('sel._domainkey.quiet.example.test', 'v=DKIM1; p=AAAA');
    d.setSilentFor('quiet.example.test');
    const quick = new dns.promises.Resolver({ timeout: 200, tries: 1 });
    quick.setServers([d.server]);
    const started = performance.now();
    await expect(quick.resolveTxt('sel._domainkey.quiet.example.test')).rejects.toMatchObject({
      code: 'ETIMEOUT',
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(await quick.resolveTxt('short.example.test')).toEqual([['hello world']]);
    expect(d.queriesFor('quiet.example.test')).toBeGreaterThanOrEqual(1);

    d.setAnsweringFor('quiet.example.test');
    expect(await quick.resolveTxt('sel._domainkey.quiet.example.test')).toEqual([['v=DKIM1; p=AAAA']]);
  });
});
