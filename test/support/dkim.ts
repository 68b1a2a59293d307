// Test DKIM keys, signing with mailauth, and a builder for simple RFC 5322 messages.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import dns from 'node:dns';
import { createRequire } from 'node:module';
import { type DNSResolver, dkimSign } from 'mailauth';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';

export interface DkimKey {
  domain: string;
  selector: string;
  privateKeyPem: string;
  /** `${selector}._domainkey.${domain}`: where the TXT record must be published. */
  dnsName: string;
  /** 'v=DKIM1; k=rsa; p=<base64 DER SPKI>' */
  txt: string;
}

/** RSA-2048 key pair; its ~410-character TXT record fits DNS as several character-strings. */
export function createDkimKey(domain: string, selector = 'test'): DkimKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    domain,
    selector,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    dnsName: `${selector}._domainkey.${domain}`,
    txt: `v=DKIM1; k=rsa; p=${spki}`,
  };
}

/**
 * Signs relaxed/relaxed and returns the DKIM-Signature header prepended to the original bytes.
 * mailauth's signer produces a signature that does not verify about once in 800 messages (checked
 * against an independent verification with node:crypto), so each signature is verified here and
 * made again when it is bad: a test must never see a genuine notification fail DKIM by chance.
 */
export interface SignOptions {
  /** `l=`: sign only this many bytes of the (canonicalised) body. */
  maxBodyLength?: number;
  /** `h=`: the header fields to sign, colon-separated; mailauth's default list otherwise. */
  headerList?: string;
}

export async function signMail(
  raw: string | Buffer,
  key: DkimKey,
  options: SignOptions = {},
): Promise<Buffer> {
  const resolver = async (name: string) => {
    if (name.toLowerCase() === key.dnsName.toLowerCase()) return [[key.txt]];
    throw Object.assign(new Error(`no TXT record for ${name}`), { code: 'ENOTFOUND' });
  };
  for (let attempt = 1; ; attempt++) {
    const signed = await signOnce(raw, key, options);
    const verified = (await dkimVerify(signed, { resolver })) as {
      results?: Array<{ status?: { result?: string } }>;
    };
    if (verified.results?.[0]?.status?.result === 'pass') return signed;
    if (attempt >= 5) throw new Error('DKIM signing kept producing signatures that do not verify');
  }
}

async function signOnce(raw: string | Buffer, key: DkimKey, options: SignOptions): Promise<Buffer> {
  const input = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const signer = {
    signingDomain: key.domain,
    selector: key.selector,
    privateKey: key.privateKeyPem,
    ...(options.maxBodyLength === undefined ? {} : { maxBodyLength: options.maxBodyLength }),
  };
  // mailauth reads only signatureData; the top-level copy satisfies its (stricter) typings.
  const { signatures, errors } = await dkimSign(input, {
    ...signer,
    canonicalization: 'relaxed/relaxed',
    algorithm: 'rsa-sha256',
    // mailauth's signer reads a colon-separated string here, whatever its typings say.
    ...(options.headerList ? { headerList: options.headerList as unknown as string[] } : {}),
    signatureData: [signer],
  });
  if (errors.length > 0 || !signatures.trim()) {
    throw new Error(
      `DKIM signing failed: ${errors.map((e) => e.message).join('; ') || 'no signature produced'}`,
    );
  }
  return Buffer.concat([Buffer.from(signatures, 'utf8'), input]);
}

/**
 * mailauth resolver that asks one DNS server (e.g. DnsResponder.server), the same way production
 * builds it from DNS_SERVERS. Unknown names reject with code ENOTFOUND, as mailauth expects.
 */
export function dnsResolver(server: string): DNSResolver {
  const r = new dns.promises.Resolver({ timeout: 2_000, tries: 2 });
  r.setServers([server]);
  return async (name, rrtype) => {
    if (rrtype === 'TXT') return r.resolveTxt(name);
    return (await r.resolve(name, rrtype)) as string[];
  };
}

export interface MailSpec {
  from: string;
  to: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  date?: Date;
  /** Body and header charset; default 'utf-8'. Others (e.g. 'gbk') are encoded with iconv-lite. */
  charset?: string;
}

/**
 * Builds a CRLF message: base64 bodies, RFC 2047 headers when non-ASCII,
 * multipart/alternative when both text and html are given.
 */
export function buildMail(spec: MailSpec): string {
  const charset = (spec.charset ?? 'utf-8').toLowerCase();
  const encode = encoderFor(charset);
  const fromDomain = /@([^>\s]+)/.exec(spec.from)?.[1] ?? 'example.test';
  const headers = [
    `From: ${encodeAddress(spec.from, charset, encode)}`,
    `To: ${encodeAddress(spec.to, charset, encode)}`,
    `Subject: ${encodeWords(spec.subject, charset, encode)}`,
    `Date: ${rfc5322Date(spec.date ?? new Date())}`,
    `Message-ID: ${spec.messageId ?? `<${randomUUID()}@${fromDomain}>`}`,
    'MIME-Version: 1.0',
  ];

  const parts: { type: string; body: string }[] = [];
  if (spec.text !== undefined || spec.html === undefined)
    parts.push({ type: 'text/plain', body: spec.text ?? '' });
  if (spec.html !== undefined) parts.push({ type: 'text/html', body: spec.html });

  const leaf = (p: { type: string; body: string }): string[] => [
    `Content-Type: ${p.type}; charset=${charset}`,
    'Content-Transfer-Encoding: base64',
    '',
    ...base64Lines(encode(p.body)),
  ];

  const [only] = parts;
  if (parts.length === 1 && only) return [...headers, ...leaf(only), ''].join('\r\n');

  const boundary = `=_mailpay_${randomUUID()}`;
  const lines = [...headers, `Content-Type: multipart/alternative; boundary="${boundary}"`, ''];
  for (const p of parts) lines.push(`--${boundary}`, ...leaf(p));
  lines.push(`--${boundary}--`, '');
  return lines.join('\r\n');
}

type Encoder = (text: string) => Buffer;

function encoderFor(charset: string): Encoder {
  if (charset === 'utf-8' || charset === 'utf8') return (t) => Buffer.from(t, 'utf8');
  // iconv-lite is already installed through mailparser/imapflow; loaded lazily so UTF-8 users never need it.
  const require = createRequire(import.meta.url);
  const iconv = require('iconv-lite') as {
    encodingExists(c: string): boolean;
    encode(t: string, c: string): Buffer;
  };
  if (!iconv.encodingExists(charset)) throw new Error(`unknown charset ${charset}`);
  return (t) => iconv.encode(t, charset);
}

const ASCII = /^[\x20-\x7e]*$/;

/** RFC 2047 B-encoding, split on character boundaries so each encoded-word stays under 75 chars. */
function encodeWords(value: string, charset: string, encode: Encoder): string {
  if (ASCII.test(value)) return value;
  const words: string[] = [];
  let current = '';
  for (const ch of value) {
    if (encode(current + ch).length > 45) {
      words.push(current);
      current = ch;
    } else {
      current += ch;
    }
  }
  if (current) words.push(current);
  return words.map((w) => `=?${charset}?B?${encode(w).toString('base64')}?=`).join('\r\n ');
}

function encodeAddress(value: string, charset: string, encode: Encoder): string {
  if (ASCII.test(value)) return value;
  const m = /^\s*"?(.*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return value;
  return `${encodeWords(m[1] ?? '', charset, encode)} <${m[2]}>`;
}

function base64Lines(bytes: Buffer): string[] {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines;
}

function rfc5322Date(d: Date): string {
  // toUTCString gives 'Wed, 26 Nov 2025 05:40:06 GMT'; a numeric zone is the preferred form.
  return d.toUTCString().replace(/GMT$/, '+0000');
}
