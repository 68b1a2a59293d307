// The service's configuration: one zod schema over the environment, every problem reported at once.
import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import type { OrderLimits } from '../../modules/orders/order-limits.ts';
import { formatFen, MAX_STORED_FEN, parseYuanToFen } from '../money.ts';

const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

// Messages say "expected …"; parseConfig adds what was found (`got "…"`) to each, secrets excepted.
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected ${values.slice(0, -1).join(', ')} or ${values.at(-1)}` });
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false (or 1/0, yes/no)' })
  .transform((v) => ['true', '1', 'yes'].includes(v));
const int = (min: number, max: number, what = 'a whole number') =>
  z
    .string()
    .regex(/^\d{1,16}$/, `expected ${what} ${min}–${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `expected ${what} ${min}–${max}`);
const text = (expected: string) => z.string().refine((v) => v.trim() !== '', `expected ${expected}`);
const yuan = z.string().transform((value, ctx) => {
  const parsed = parseYuanToFen(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: 'expected an amount in yuan like 10 or 9.99' });
    return z.NEVER;
  }
  return parsed.fen;
});
const telegramUserIds = z.string().transform((value, ctx) => {
  const ids = csv(value);
  if (ids.length === 0 || ids.some((id) => !/^\d{1,15}$/.test(id))) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated numeric Telegram user ids' });
    return z.NEVER;
  }
  return ids.map(Number);
});
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
const presetAmounts = z.string().transform((value, ctx) => {
  const amounts = csv(value).map(parseYuanToFen);
  if (amounts.length === 0 || amounts.some((a) => !a.ok)) {
    ctx.addIssue({ code: 'custom', message: 'expected comma-separated yuan amounts like 5,10,15,20' });
    return z.NEVER;
  }
  return amounts.map((a) => (a.ok ? a.fen : 0));
});
/** node-cron's own check, so that what passes here also schedules. */
const cronExpression = z.string().superRefine((expression, ctx) => {
  const [first] = validateDetailed(expression).errors;
  if (!first) return;
  const why = first.field === 'expression' ? first.message : `${first.field} "${first.value}" is not valid`;
  ctx.addIssue({ code: 'custom', message: `expected a cron expression like "0 9 * * *" (${why})` });
});
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');
const url = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });
/** An IPv4/IPv6 address or a host name to bind, never a URL. */
const bindHost = z
  .string()
  .regex(/^(?:[\w.-]+|\[?[0-9a-fA-F:.]+\]?)$/, 'expected an address to bind, such as 127.0.0.1 or 0.0.0.0');

const envSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'expected a bot token like 123456:ABC-def'),
    TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
    ADMIN_CHAT_IDS: telegramUserIds,
    ADMIN_LANGUAGE: oneOf(['zh', 'en']).default('zh'),
    IMAP_HOST: text('the IMAP server host name'),
    IMAP_PORT: int(1, 65535, 'a port number').default(993),
    IMAP_SECURE: bool.default(true),
    IMAP_USER: text('the mailbox login'),
    IMAP_PASSWORD: text('the mailbox password (QQ Mail: the authorisation code)'),
    IMAP_MAILBOX: text('a mailbox folder name such as INBOX').default('INBOX'),
    PAYEE_QR_URL: text('the content of the payee collection QR code'),
    RECHARGE_AMOUNTS: presetAmounts.prefault('5,10,15,20'),
    RECHARGE_MIN: yuan.refine((fen) => fen > 0, 'must be above 0').prefault('1'),
    RECHARGE_MAX: yuan
      .refine(
        (fen) => fen <= MAX_STORED_FEN,
        `must be at most ${formatFen(MAX_STORED_FEN)} (the largest amount the database holds)`,
      )
      .prefault('5000'),
    ORDER_TTL_SECONDS: int(60, 86_400, 'a number of seconds').default(900),
    TRUSTED_SENDERS: trustedSenders.prefault('@alipay.com'),
    PAYEE_ADDRESSES: payeeAddresses.optional(),
    MAIL_AUTH: oneOf(['dkim', 'none']).default('dkim'),
    DNS_SERVERS: dnsServers.optional(),
    RECHARGE_WHEN_MAILBOX_DOWN: oneOf(['warn', 'refuse']).default('warn'),
    MAX_PENDING_PER_CUSTOMER: int(1, 100).default(3),
    MAX_ORDERS_PER_HOUR: int(1, 1_000, 'a number of orders').default(10),
    MAX_CANCELS_PER_HOUR: int(1, 1_000, 'a number of cancellations').default(5),
    AMOUNT_OFFSET_MAX_FEN: int(0, 9_999, 'an amount in fen').default(50),
    AMOUNT_OFFSET_DIRECTION: oneOf(['down', 'up']).default('down'),
    IMAP_POLL_SECONDS: int(1, 3_600, 'a number of seconds').default(30),
    MAIL_MAX_BYTES: int(1_000, 100_000_000, 'a size in bytes').default(2_000_000),
    MAIL_EXAMINE_TIMEOUT_MS: int(100, 600_000, 'a number of milliseconds').default(10_000),
    PARSE_RULES_FILE: text('the path of a JSON rules file').optional(),
    SILENCE_ALARM_MINUTES: int(1, 10_080, 'a number of minutes').default(30),
    ADMIN_FLOOD_PER_MINUTE: int(1, 1_000, 'a number of messages').default(5),
    HEALTH_REPORT_CRON: cronExpression.default('0 9 * * *'),
    TZ: timeZone.default('Asia/Shanghai'),
    HTTP_PORT: int(0, 65535, 'a port number').default(8080),
    HTTP_HOST: bindHost.default('127.0.0.1'),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_FORMAT: oneOf(['auto', 'pretty', 'json']).default('auto'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
      .optional(),
    DATA_DIR: text('a folder for the embedded database').default('./data'),
  })
  .refine((env) => env.RECHARGE_MIN <= env.RECHARGE_MAX, {
    path: ['RECHARGE_MIN'],
    message: 'must not be above RECHARGE_MAX',
    // Checked alongside the other problems, as soon as both amounts are themselves valid.
    when: ({ issues }) =>
      !issues.some((issue) => ['RECHARGE_MIN', 'RECHARGE_MAX'].includes(String(issue.path?.[0]))),
  });

type Env = z.infer<typeof envSchema>;

export type Config = Readonly<{
  telegram: { token: string; apiRoot: string; adminIds: readonly number[]; adminLanguage: 'zh' | 'en' };
  imap: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password: string;
    mailbox: string;
    pollSeconds: number;
  };
  payeeQrUrl: string;
  recharge: {
    presetFen: readonly number[];
    minFen: number;
    maxFen: number;
    orderTtlSeconds: number;
    /** Per customer: pending orders at once, unpaid orders created and orders cancelled in the last hour. */
    limits: OrderLimits;
    offsetMaxFen: number;
    offsetDirection: 'down' | 'up';
    whenMailboxDown: 'warn' | 'refuse';
  };
  mail: {
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
  alarms: {
    silenceMinutes: number;
    healthReportCron: string;
    /** Unauthenticated cards, and given-up customer messages, told one by one per minute; then summaries. */
    floodPerMinute: number;
  };
  timeZone: string;
  httpPort: number;
  httpHost: string;
  logLevel: Env['LOG_LEVEL'];
  logFormat: Env['LOG_FORMAT'];
  database: { url: string | undefined; dataDir: string };
}>;

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Pure: reads an environment map, returns the config or every problem found (never a value). */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}: ${describeIssue(issue, present[name])}`;
    });
    return { ok: false, problems: [...new Set(problems)] };
  }
  return { ok: true, config: toConfig(result.data) };
}

/** Values never echoed back in a problem. */
const SECRET_VARIABLES = new Set(['TELEGRAM_BOT_TOKEN', 'IMAP_PASSWORD', 'DATABASE_URL']);

function describeIssue(issue: z.core.$ZodIssue, value: string | undefined): string {
  if (value === undefined) return issue.code === 'invalid_type' ? 'is required' : issue.message;
  const name = String(issue.path[0]);
  if (!issue.message.startsWith('expected')) return issue.message;
  if (value.trim() === '') return `${issue.message}, got only blanks`;
  return SECRET_VARIABLES.has(name) ? issue.message : `${issue.message}, got "${value}"`;
}

function toConfig(env: Env): Config {
  return {
    telegram: {
      token: env.TELEGRAM_BOT_TOKEN,
      apiRoot: env.TELEGRAM_API_ROOT,
      adminIds: env.ADMIN_CHAT_IDS,
      adminLanguage: env.ADMIN_LANGUAGE,
    },
    imap: {
      host: env.IMAP_HOST,
      port: env.IMAP_PORT,
      secure: env.IMAP_SECURE,
      user: env.IMAP_USER,
      password: env.IMAP_PASSWORD,
      mailbox: env.IMAP_MAILBOX,
      pollSeconds: env.IMAP_POLL_SECONDS,
    },
    payeeQrUrl: env.PAYEE_QR_URL,
    recharge: {
      presetFen: env.RECHARGE_AMOUNTS,
      minFen: env.RECHARGE_MIN,
      maxFen: env.RECHARGE_MAX,
      orderTtlSeconds: env.ORDER_TTL_SECONDS,
      limits: {
        maxPending: env.MAX_PENDING_PER_CUSTOMER,
        maxCreated: env.MAX_ORDERS_PER_HOUR,
        maxCancelled: env.MAX_CANCELS_PER_HOUR,
      },
      offsetMaxFen: env.AMOUNT_OFFSET_MAX_FEN,
      offsetDirection: env.AMOUNT_OFFSET_DIRECTION,
      whenMailboxDown: env.RECHARGE_WHEN_MAILBOX_DOWN,
    },
    mail: {
      trustedSenders: env.TRUSTED_SENDERS,
      payeeAddresses: env.PAYEE_ADDRESSES ?? [env.IMAP_USER.toLowerCase()],
      auth: env.MAIL_AUTH,
      dnsServers: env.DNS_SERVERS,
      maxBytes: env.MAIL_MAX_BYTES,
      examineTimeoutMs: env.MAIL_EXAMINE_TIMEOUT_MS,
      parseRulesFile: env.PARSE_RULES_FILE,
    },
    alarms: {
      silenceMinutes: env.SILENCE_ALARM_MINUTES,
      healthReportCron: env.HEALTH_REPORT_CRON,
      floodPerMinute: env.ADMIN_FLOOD_PER_MINUTE,
    },
    timeZone: env.TZ,
    httpPort: env.HTTP_PORT,
    httpHost: env.HTTP_HOST,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    database: { url: env.DATABASE_URL, dataDir: env.DATA_DIR },
  };
}

/** Every secret of the configuration, for the log scrubber and for error texts that are stored or shown. */
export function secretsOf(config: Config): string[] {
  return [config.telegram.token, config.imap.password, config.database.url].filter(
    (secret): secret is string => secret !== undefined,
  );
}
