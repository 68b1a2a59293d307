// The ingest use case wired as the service wires it, for tests that feed it messages directly.

import { mailAuthenticatorFor } from '../../src/modules/ingestion/mail/authenticate-mail.ts';
import type { IncomingMessage } from '../../src/modules/ingestion/mail/examine-message.ts';
import { createIngestMessages } from '../../src/modules/ingestion/mail/ingest-message.ts';
import { type MailReader, startMailReader } from '../../src/modules/ingestion/mail/mail-reader.ts';
import { builtInRules, type NotificationRule } from '../../src/modules/payments/notification/rules.ts';
import { reviewSettingsOf } from '../../src/modules/review/review-settings.ts';
import { type Config, parseConfig } from '../../src/shared/config/config.ts';
import type { Database } from '../../src/shared/db/database.ts';
import { transactionOf } from '../../src/shared/db/store.ts';
import type { DnsResponder } from './dns-responder.ts';
import { FORWARDER } from './notifications.ts';

export const ADMIN = 9001;
const silent = { info() {}, warn() {}, error() {}, debug() {} };

export function ingestConfig(dns: DnsResponder, overrides: Record<string, string> = {}): Config {
  const parsed = parseConfig({
    TELEGRAM_BOT_TOKEN: '1:test',
    ADMIN_CHAT_IDS: String(ADMIN),
    IMAP_HOST: 'imap.example.test',
    IMAP_USER: 'u',
    IMAP_PASSWORD: 'p',
    PAYEE_QR_URL: 'https://qr.alipay.com/x',
    TRUSTED_SENDERS: `${FORWARDER},@alipay.com`,
    DNS_SERVERS: dns.server,
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config;
}

/** Ingests one message at a time, as the watcher does when mail trickles in. */
export function ingestFor(
  database: Database,
  config: Config,
  rules: readonly NotificationRule[] = builtInRules,
) {
  const ingest = ingestRunFor(database, config, rules);
  return async (message: IncomingMessage) => {
    const [outcome] = await ingest([message]);
    if (!outcome) throw new Error('no outcome');
    return outcome;
  };
}

/** One mail-reader thread per rule list (threads never keep the test process alive). */
const readers = new Map<string, MailReader>();
function readerFor(rules: readonly NotificationRule[], timeoutMs: number): MailReader {
  const key = `${timeoutMs}:${JSON.stringify(rules)}`;
  const reader = readers.get(key) ?? startMailReader({ rules, timeoutMs });
  readers.set(key, reader);
  return reader;
}

/** Ingests as the watcher does while catching up: a run of messages at once. */
export function ingestRunFor(
  database: Database,
  config: Config,
  rules: readonly NotificationRule[] = builtInRules,
) {
  return createIngestMessages({
    transaction: transactionOf(database.db),
    review: reviewSettingsOf(config),
    mail: config.mail,
    clock: { now: () => new Date() },
    readMail: readerFor(rules, config.mail.examineTimeoutMs).read,
    authenticateMail: mailAuthenticatorFor(config.mail),
    logger: silent,
    onQueued: () => {},
  });
}

let uidSeq = 0;
/** A message as the watcher hands it over, with a fresh UID. */
export function incoming(raw: Buffer | null, extra: Partial<IncomingMessage> = {}): IncomingMessage {
  return {
    mailbox: 'INBOX',
    uidValidity: 7n,
    uid: ++uidSeq,
    size: raw?.length ?? 0,
    raw,
    envelope: { messageId: null, subject: '', from: '' },
    receivedAt: new Date(),
    ...extra,
  };
}
