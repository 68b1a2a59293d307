// Parse + authenticate per message, in process on one core: the service's examination of the fixture mix,
// DKIM-signed, keys from a local DNS; and the two libraries alone on the same mix.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import { mailAuthenticatorFor } from '../src/modules/ingestion/mail/authenticate-mail.ts';
import { PARSER_OPTIONS } from '../src/modules/ingestion/mail/decode-mail.ts';
import { createExamineMessages } from '../src/modules/ingestion/mail/examine-message.ts';
import { startMailReader } from '../src/modules/ingestion/mail/mail-reader.ts';
import { builtInRules } from '../src/modules/payments/notification/rules.ts';
import { parseConfig } from '../src/shared/config/config.ts';
import { systemClock } from '../src/shared/ports.ts';
import { createDkimKey, signMail } from '../test/support/dkim.ts';
import { startDnsResponder } from '../test/support/dns-responder.ts';
import { BENCH_ENV } from './allocation.bench.ts';

const FIXTURE_DIRS = ['test/fixtures/mail', 'test/fixtures/mail-variants'];
/** Messages examined together, as the watcher hands over a fetched batch. */
const RUN = 200;

export async function benchParseAndAuthenticate(options: { messages: number }) {
  const dns = await startDnsResponder();
  const reader = startMailReader({ rules: builtInRules, timeoutMs: 10_000 });
  try {
    const keys = new Map<string, ReturnType<typeof createDkimKey>>();
    const keyFor = (domain: string) => {
      let key = keys.get(domain);
      if (!key) {
        key = createDkimKey(domain, 'bench');
        dns.setTxt(key.dnsName, key.txt);
        keys.set(domain, key);
      }
      return key;
    };
    const mails: Buffer[] = [];
    for (const dir of FIXTURE_DIRS) {
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.eml'))) {
        const raw = readFileSync(join(dir, file));
        const fromDomain = /^From:.*@([a-z0-9.-]+)>?\s*$/im.exec(raw.toString('latin1'))?.[1] ?? 'qq.com';
        mails.push(await signMail(raw, keyFor(fromDomain)));
      }
    }
    const parsed = parseConfig({
      ...BENCH_ENV,
      TRUSTED_SENDERS: '@qq.com,@alipay.com',
      DNS_SERVERS: dns.server,
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const { config } = parsed;
    const examine = createExamineMessages({
      mail: config.mail,
      clock: systemClock,
      readMail: reader.read,
      authenticateMail: mailAuthenticatorFor(config.mail),
      logger: { info() {}, warn() {}, error() {}, debug() {} },
    });
    // As a catch-up examines them: a fetched batch at a time.
    let uid = 0;
    const incoming = (raw: Buffer) => ({
      mailbox: 'INBOX',
      uidValidity: 1n,
      uid: ++uid,
      size: raw.length,
      raw,
      envelope: { messageId: null, subject: '', from: '' },
      receivedAt: new Date(),
    });
    const examineRun = async (run: readonly Buffer[]) => {
      const { examined, error } = await examine(run.map(incoming));
      if (error) throw error;
      return examined;
    };
    // The service checks the signature of payments only (from trusted senders): this share of the mix.
    const ofMix = await examineRun(mails);
    const authenticatedShare = ofMix.filter((item) => item.kind === 'payment').length / mails.length;
    const perSecond = await rateInRuns(mails, options.messages, examineRun);
    // The libraries alone, on the same mix: what no code of ours can go below.
    const txt = new Map([...keys.values()].map((key) => [key.dnsName, key.txt]));
    const inMemory = async (name: string) => [[txt.get(name) ?? '']];
    const mailparserAlone = await rate(mails, options.messages, (raw) => simpleParser(raw, PARSER_OPTIONS));
    const mailauthAlone = await rate(mails, options.messages, (raw) =>
      dkimVerify(raw, { resolver: inMemory }),
    );
    return {
      messages: options.messages,
      fixtures: mails.length,
      perSecond,
      authenticatedShare,
      floor: {
        mailparserUs: 1e6 / mailparserAlone,
        mailauthUs: 1e6 / mailauthAlone,
        perSecond: 1e6 / (1e6 / mailparserAlone + 1e6 / mailauthAlone),
      },
    };
  } finally {
    await reader.close();
    await dns.close();
  }
}

/** Messages per second through `work`, `RUN` messages at a time, after a warm-up pass over the mix. */
async function rateInRuns(
  mails: readonly Buffer[],
  messages: number,
  work: (run: readonly Buffer[]) => Promise<unknown>,
) {
  await work(mails);
  const runs = Math.ceil(messages / RUN);
  const started = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) {
    await work(Array.from({ length: RUN }, (_, i) => mails[(r * RUN + i) % mails.length] as Buffer));
  }
  return (runs * RUN) / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Messages per second through `work`, one at a time, after a warm-up pass (JIT, DNS cache). */
async function rate(mails: readonly Buffer[], messages: number, work: (raw: Buffer) => Promise<unknown>) {
  for (const raw of mails) await work(raw);
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages; i++) await work(mails[i % mails.length] as Buffer);
  return messages / (Number(process.hrtime.bigint() - started) / 1e9);
}
