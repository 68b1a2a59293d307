// Parse + authenticate per message, in process on one core: the fixture mix, DKIM-signed, keys from a local DNS.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMailAuthenticator } from '../src/adapters/mail/authenticate-mail.ts';
import { decodeMail } from '../src/adapters/mail/decode-mail.ts';
import { parseNotification } from '../src/domain/notification/parse-notification.ts';
import { builtInRules } from '../src/domain/notification/rules.ts';
import { createDkimKey, signMail } from '../test/support/dkim.ts';
import { startDnsResponder } from '../test/support/dns-responder.ts';

const FIXTURE_DIRS = ['test/fixtures/mail', 'test/fixtures/mail-variants'];

export async function benchParseAndAuthenticate(options: { messages: number }) {
  const dns = await startDnsResponder();
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
    const authenticate = createMailAuthenticator({
      mode: 'dkim',
      trustedSenders: ['@qq.com', '@alipay.com'],
      dnsServers: [dns.server],
    });

    const once = async (raw: Buffer) => {
      const mail = await decodeMail(raw);
      const from = mail.from[0]?.address ?? '';
      const parse = parseNotification(
        { fromAddress: from, subject: mail.subject, text: mail.text, htmlText: mail.htmlText },
        builtInRules,
      );
      const auth = await authenticate(
        raw,
        mail.from.map((f) => f.address),
      );
      return { parse, auth };
    };
    // Warm up (JIT, DNS cache if any), then measure sequentially: one message at a time, one core.
    for (const raw of mails) await once(raw);
    let passes = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < options.messages; i++) {
      const { auth } = await once(mails[i % mails.length] as Buffer);
      if (auth.verdict === 'pass') passes++;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      messages: options.messages,
      fixtures: mails.length,
      seconds,
      perSecond: options.messages / seconds,
      passes,
    };
  } finally {
    await dns.close();
  }
}
