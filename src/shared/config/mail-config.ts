// The mail section of the configuration: whose mail is trusted, how it is authenticated and read.
import { z } from 'zod';
import { csv, int, oneOf, text } from './config-values.ts';

const dnsServers = z.string().transform((value, ctx) => {
  const servers = csv(value);
  if (servers.some((server) => !/^[\w.:[\]-]+$/.test(server))) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated host or host:port resolvers' });
    return z.NEVER;
  }
  return servers;
});
const trustedSenders = z.string().transform((value, ctx) => {
  const senders = csv(value).map((sender) => sender.toLowerCase());
  if (senders.length === 0 || senders.some((s) => !/^([^@\s]+@|@)[a-z0-9.-]+\.[a-z]{2,}$/.test(s))) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated addresses or @domains' });
    return z.NEVER;
  }
  return senders;
});
const payeeAddresses = z.string().transform((value, ctx) => {
  const addresses = csv(value).map((address) => address.toLowerCase());
  if (addresses.length === 0 || addresses.some((a) => !/^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/.test(a))) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated e-mail addresses' });
    return z.NEVER;
  }
  return addresses;
});

export const mailEnv = z.object({
  TRUSTED_SENDERS: trustedSenders.prefault('@alipay.com'),
  PAYEE_ADDRESSES: payeeAddresses.optional(),
  MAIL_AUTH: oneOf(['dkim', 'none']).default('dkim'),
  DNS_SERVERS: dnsServers.optional(),
  MAIL_MAX_BYTES: int(1_000, 100_000_000, 'a size in bytes').default(2_000_000),
  MAIL_EXAMINE_TIMEOUT_MS: int(100, 600_000, 'a number of milliseconds').default(10_000),
  PARSE_RULES_FILE: text('the path of a JSON rules file').optional(),
});

export type MailConfig = {
  trustedSenders: readonly string[];
  /** Where provider receipts must be addressed; lower case. */
  payeeAddresses: readonly string[];
  auth: 'dkim' | 'none';
  dnsServers: readonly string[] | undefined;
  maxBytes: number;
  /** How long decoding and parsing one message may take before it is recorded as failed. */
  examineTimeoutMs: number;
  parseRulesFile: string | undefined;
};

/** Without PAYEE_ADDRESSES, receipts must be addressed to the mailbox's own login (`imapUser`). */
export function toMailConfig(env: z.infer<typeof mailEnv>, imapUser: string): MailConfig {
  return {
    trustedSenders: env.TRUSTED_SENDERS,
    payeeAddresses: env.PAYEE_ADDRESSES ?? [imapUser.toLowerCase()],
    auth: env.MAIL_AUTH,
    dnsServers: env.DNS_SERVERS,
    maxBytes: env.MAIL_MAX_BYTES,
    examineTimeoutMs: env.MAIL_EXAMINE_TIMEOUT_MS,
    parseRulesFile: env.PARSE_RULES_FILE,
  };
}
