// Tiny authoritative DNS server for tests: answers TXT queries from an in-memory map over UDP and TCP.
import dgram from 'node:dgram';
import net from 'node:net';

export interface DnsResponder {
  /** '127.0.0.1:PORT', ready for dns.promises.Resolver#setServers. */
  server: string;
  /** Sets (replaces) the TXT record of a name; names are case-insensitive, a trailing dot is ignored. */
  setTxt(name: string, value: string): void;
  /** While silent, queries get no answer at all: resolvers time out, as when DNS is unreachable. */
  setSilent(silent: boolean): void;
  /** Queries for `domain` and the names under it get no answer (as when that domain's servers are down). */
  setSilentFor(domain: string): void;
  /** Answers `domain` again after `setSilentFor`. */
  setAnsweringFor(domain: string): void;
  /** How many queries for `name` (or names under it) arrived, answered or not. */
  queriesFor(name: string): number;
  close(): Promise<void>;
}

const TYPE_TXT = 16;
const TYPE_OPT = 41;
const CLASS_IN = 1;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_NOTIMP = 4;
const CLASSIC_UDP_LIMIT = 512;

export async function startDnsResponder(): Promise<DnsResponder> {
  const records = new Map<string, string>();
  let silent = false;
  const silentDomains = new Set<string>();
  const asked: string[] = [];
  const under = (name: string, domain: string) => name === domain || name.endsWith(`.${domain}`);
  const answer = (query: Buffer, overUdp: boolean): Buffer | undefined => {
    const name = query.length >= 12 ? parseQuestion(query)?.name : undefined;
    if (name !== undefined) asked.push(name);
    if (silent || (name !== undefined && [...silentDomains].some((domain) => under(name, domain)))) {
      return undefined;
    }
    return buildResponse(query, records, overUdp);
  };

  const host = '127.0.0.1';
  const { udp, tcp, port, sockets } = await bindBoth(host);

  udp.on('message', (msg, rinfo) => {
    const res = answer(msg, true);
    if (res) udp.send(res, rinfo.port, rinfo.address);
  });

  tcp.on('connection', (sock) => {
    // TCP messages carry a 2-byte length prefix and may arrive split or several per read.
    let buf = Buffer.alloc(0);
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const res = answer(buf.subarray(2, 2 + len), false);
        buf = buf.subarray(2 + len);
        if (res) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(res.length);
          sock.write(Buffer.concat([prefix, res]));
        }
      }
    });
    sock.on('error', () => sock.destroy());
  });

  return {
    server: `${host}:${port}`,
    setTxt(name, value) {
      records.set(normalize(name), value);
    },
    setSilent(value) {
      silent = value;
    },
    setSilentFor(domain) {
      silentDomains.add(normalize(domain));
    },
    setAnsweringFor(domain) {
      silentDomains.delete(normalize(domain));
    },
    queriesFor(name) {
      return asked.filter((asked) => under(asked, normalize(name))).length;
    },
    async close() {
      await Promise.all([
        new Promise<void>((resolve) => udp.close(() => resolve())),
        new Promise<void>((resolve) => {
          tcp.close(() => resolve());
          // close() waits for open connections; resolvers keep TCP ones idle, so cut them.
          for (const sock of sockets) sock.destroy();
        }),
      ]);
    },
  };
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

// UDP and TCP must share one port number; the port may be taken for one protocol, so retry.
async function bindBoth(
  host: string,
): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number; sockets: Set<net.Socket> }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const udp = dgram.createSocket('udp4');
    const port = await new Promise<number>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, host, () => resolve(udp.address().port));
    });
    const tcp = net.createServer();
    const sockets = new Set<net.Socket>();
    tcp.on('connection', (s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, host, () => resolve(true));
    });
    if (ok) return { udp, tcp, port, sockets };
    udp.close();
  }
  throw new Error('could not bind UDP and TCP on the same free port');
}

interface Question {
  name: string;
  type: number;
  cls: number;
  end: number;
}

function parseQuestion(msg: Buffer): Question | undefined {
  const labels: string[] = [];
  let off = 12;
  for (;;) {
    const len = msg[off];
    if (len === undefined || len > 63) return undefined; // compression is not used in questions
    off += 1;
    if (len === 0) break;
    if (off + len > msg.length) return undefined;
    labels.push(msg.toString('latin1', off, off + len));
    off += len;
  }
  if (off + 4 > msg.length) return undefined;
  return {
    name: labels.join('.').toLowerCase(),
    type: msg.readUInt16BE(off),
    cls: msg.readUInt16BE(off + 2),
    end: off + 4,
  };
}

// Reads the EDNS(0) OPT record, if the query carries one, to learn the client's UDP buffer size.
function ednsUdpSize(msg: Buffer, questionEnd: number): number | undefined {
  const arcount = msg.readUInt16BE(10);
  if (arcount === 0 || msg.readUInt16BE(6) !== 0 || msg.readUInt16BE(8) !== 0) return undefined;
  const off = questionEnd;
  // OPT owner is the root name: a single zero byte.
  if (msg[off] !== 0 || off + 11 > msg.length) return undefined;
  if (msg.readUInt16BE(off + 1) !== TYPE_OPT) return undefined;
  return Math.max(CLASSIC_UDP_LIMIT, msg.readUInt16BE(off + 3));
}

function buildResponse(query: Buffer, records: Map<string, string>, overUdp: boolean): Buffer | undefined {
  if (query.length < 12) return undefined;
  const id = query.readUInt16BE(0);
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000) return undefined; // a response, not a query
  const rd = flags & 0x0100;
  const opcode = (flags >> 11) & 0xf;
  const q = query.readUInt16BE(4) === 1 ? parseQuestion(query) : undefined;

  const header = (rcode: number, ancount: number, arcount: number, tc = false): Buffer => {
    const h = Buffer.alloc(12);
    h.writeUInt16BE(id, 0);
    // QR + AA, echo RD, no recursion available.
    h.writeUInt16BE(0x8000 | 0x0400 | (opcode << 11) | (tc ? 0x0200 : 0) | rd | rcode, 2);
    h.writeUInt16BE(q ? 1 : 0, 4);
    h.writeUInt16BE(ancount, 6);
    h.writeUInt16BE(0, 8);
    h.writeUInt16BE(arcount, 10);
    return h;
  };

  if (opcode !== 0) return header(RCODE_NOTIMP, 0, 0);
  if (!q) return header(RCODE_FORMERR, 0, 0);

  // Echo the question bytes as sent, so a client using 0x20 case randomisation still matches.
  const question = query.subarray(12, q.end);
  const udpSize = ednsUdpSize(query, q.end);
  const opt = udpSize === undefined ? Buffer.alloc(0) : optRecord();
  const arcount = udpSize === undefined ? 0 : 1;

  const value = records.get(q.name);
  if (value === undefined) return Buffer.concat([header(RCODE_NXDOMAIN, 0, arcount), question, opt]);
  if (q.type !== TYPE_TXT || q.cls !== CLASS_IN) {
    return Buffer.concat([header(0, 0, arcount), question, opt]); // name exists, no data of that type
  }

  const full = Buffer.concat([header(0, 1, arcount), question, txtAnswer(value), opt]);
  if (overUdp && full.length > (udpSize ?? CLASSIC_UDP_LIMIT)) {
    // Too big for this client's UDP buffer: set TC so it retries over TCP.
    return Buffer.concat([header(0, 0, arcount, true), question, opt]);
  }
  return full;
}

function optRecord(): Buffer {
  const opt = Buffer.alloc(11);
  opt.writeUInt8(0, 0); // root owner
  opt.writeUInt16BE(TYPE_OPT, 1);
  opt.writeUInt16BE(1232, 3); // our UDP payload size
  // ttl (extended rcode, version, flags) and rdlength stay 0
  return opt;
}

function txtAnswer(value: string): Buffer {
  // A TXT record is a sequence of character-strings of at most 255 bytes each.
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || parts.length === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  const rdata = Buffer.concat(parts);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // pointer to the question name
  rr.writeUInt16BE(TYPE_TXT, 2);
  rr.writeUInt16BE(CLASS_IN, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([rr, rdata]);
}
