// The whole service under test, wired by the same code main.ts uses, against a private Dovecot, a local DNS
// responder serving a DKIM key, the Bot API double and a fresh database.
import { type SQL, sql } from 'drizzle-orm';
import { type Service, startService } from '../../src/main.ts';
import { loadParseRules } from '../../src/modules/payments/notification/load-parse-rules.ts';
import { parseConfig } from '../../src/shared/config/config.ts';
import { createLogger } from '../../src/shared/logger/logger.ts';
import { createDkimKey, type DkimKey, signMail } from './dkim.ts';
import { type DnsResponder, startDnsResponder } from './dns-responder.ts';
import { startDovecot, type TestDovecot } from './dovecot.ts';
import { eventually } from './eventually.ts';
import { freePort } from './free-port.ts';
import { FORWARDER } from './notifications.ts';
import { startTelegramDouble, type TelegramDouble } from './telegram-double.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './test-database.ts';

export const ADMIN_ID = 9001;
export const PAYEE_QR_URL = 'https://qr.alipay.com/fkx12345test';

export interface Stack {
  dovecot: TestDovecot;
  dns: DnsResponder;
  /** The forwarder's (qq.com) signing key, published in the DNS responder. */
  dkim: DkimKey;
  telegram: TelegramDouble;
  database: TestDatabase;
  env: Record<string, string>;
  service: Service | null;
  /**
   * `tuning` shortens the watcher's thresholds; `logger` captures the service's logs. Resolves once the
   * watcher holds its place in the mailbox (unless `waitForMailbox: false`).
   */
  startService(
    options?: Partial<Pick<Parameters<typeof startService>[0], 'tuning' | 'logger'>> & {
      waitForMailbox?: boolean;
    },
  ): Promise<Service>;
  stopService(): Promise<void>;
  /** Rows of a query on the service's database (the service must be running). */
  rows<Row>(query: SQL): Promise<Row[]>;
  /** APPENDs the mail to the watched mailbox, DKIM-signed by the forwarder's domain unless `signed: false`. */
  deliver(mail: string, options?: { signed?: boolean }): Promise<number>;
  dispose(): Promise<void>;
}

export async function startStack(
  kind: DatabaseKind,
  envOverrides: Record<string, string> = {},
  options: Pick<Parameters<typeof startService>[0], 'clock' | 'tuning'> & {
    dovecot?: Parameters<typeof startDovecot>[0];
  } = {},
): Promise<Stack> {
  const [dovecot, dns, telegram, database, httpPort] = await Promise.all([
    startDovecot(options.dovecot),
    startDnsResponder(),
    startTelegramDouble(),
    createTestDatabase(kind),
    freePort(),
  ]);
  const dkim = createDkimKey('qq.com', 'mailpay');
  dns.setTxt(dkim.dnsName, dkim.txt);

  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ADMIN_CHAT_IDS: String(ADMIN_ID),
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_SECURE: 'false',
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    PAYEE_QR_URL,
    TRUSTED_SENDERS: `${FORWARDER},@alipay.com`,
    DNS_SERVERS: dns.server,
    HTTP_PORT: String(httpPort),
    ...database.env,
    ...envOverrides,
  };

  const stack: Stack = {
    dovecot,
    dns,
    dkim,
    telegram,
    database,
    env,
    service: null,
    async startService(startOptions = {}) {
      const parsed = parseConfig(env);
      if (!parsed.ok) throw new Error(`test config is invalid: ${parsed.problems.join('; ')}`);
      const rules = loadParseRules(parsed.config.mail.parseRulesFile);
      if (!rules.ok) throw new Error(rules.problems.join('; '));
      const logger =
        startOptions.logger ?? createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', secrets: [] });
      stack.service = await startService({
        config: parsed.config,
        rules: rules.rules,
        logger,
        ...(options.clock ? { clock: options.clock } : {}),
        tuning: { ...options.tuning, ...startOptions.tuning },
      });
      if (startOptions.waitForMailbox !== false) await mailboxReady(stack);
      return stack.service;
    },
    async stopService() {
      await stack.service?.stop();
      stack.service = null;
    },
    rows(query) {
      if (!stack.service) throw new Error('the service is not running');
      return stack.service.database.rows(query);
    },
    async deliver(mail, options = {}) {
      const raw = options.signed === false ? Buffer.from(mail) : await signMail(mail, dkim);
      return dovecot.append(raw);
    },
    async dispose() {
      await stack.stopService().catch(() => {});
      await Promise.allSettled([dovecot.dispose(), dns.close(), telegram.close()]);
      await database.drop();
    },
  };
  return stack;
}

/** On its first start the watcher begins at the mailbox's end: mail appended before that is not for it. */
export async function mailboxReady(stack: Stack): Promise<void> {
  await eventually(async () => {
    const rows = await stack.rows(sql`select 1 from mailbox_cursors`);
    return rows.length > 0 ? true : undefined;
  }, 20_000);
}
