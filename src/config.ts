// The service's configuration: one zod schema over the environment, every problem reported at once.
import { z } from 'zod';
import { formatFen, parseYuanToFen } from './domain/money.ts';

const csv = (value: string) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => ['true', '1', 'yes'].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const yuan = z.string().transform((value, ctx) => {
  const parsed = parseYuanToFen(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `expected an amount in yuan like 10 or 9.99, got "${value}"` });
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
const cronExpression = z
  .string()
  .refine(
    (v) => [5, 6].includes(v.trim().split(/\s+/).length),
    'expected a cron expression of 5 or 6 fields',
  );
const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');
const url = z.url({ protocol: /^https?$/ });
/** An IPv4/IPv6 address or a host name to bind, never a URL. */
const bindHost = z
  .string()
  .regex(/^(?:[\w.-]+|\[?[0-9a-fA-F:.]+\]?)$/, 'expected an address to bind, such as 127.0.0.1 or 0.0.0.0');
/** Amounts live in int4 fen columns. */
const MAX_FEN = 2_147_483_647;

const envSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[\w-]+$/, 'expected a bot token like 123456:ABC-def'),
    TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
    ADMIN_CHAT_IDS: telegramUserIds,
    IMAP_HOST: z.string().min(1, 'expected the IMAP server host name'),
    IMAP_PORT: int(1, 65535).default(993),
    IMAP_SECURE: bool.default(true),
    IMAP_USER: z.string().min(1, 'expected the mailbox login'),
    IMAP_PASSWORD: z.string().min(1, 'expected the mailbox password (QQ Mail: the authorisation code)'),
    IMAP_MAILBOX: z.string().min(1).default('INBOX'),
    PAYEE_QR_URL: z.string().min(1, 'expected the content of the payee collection QR code'),
    RECHARGE_AMOUNTS: presetAmounts.prefault('5,10,15,20'),
    RECHARGE_MIN: yuan.prefault('1'),
    RECHARGE_MAX: yuan.prefault('5000'),
    ORDER_TTL_SECONDS: int(60, 86_400).default(900),
    TRUSTED_SENDERS: trustedSenders.prefault('@alipay.com'),
    PAYEE_ADDRESSES: payeeAddresses.optional(),
    MAIL_AUTH: z.enum(['dkim', 'none']).default('dkim'),
    DNS_SERVERS: dnsServers.optional(),
    RECHARGE_WHEN_MAILBOX_DOWN: z.enum(['warn', 'refuse']).default('warn'),
    MAX_PENDING_PER_CUSTOMER: int(1, 100).default(3),
    AMOUNT_OFFSET_MAX_FEN: int(0, 9_999).default(50),
    AMOUNT_OFFSET_DIRECTION: z.enum(['down', 'up']).default('down'),
    IMAP_POLL_SECONDS: int(1, 3_600).default(30),
    MAIL_MAX_BYTES: int(1_000, 100_000_000).default(2_000_000),
    PARSE_RULES_FILE: z.string().min(1).optional(),
    SILENCE_ALARM_MINUTES: int(1, 10_080).default(30),
    HEALTH_REPORT_CRON: cronExpression.default('0 9 * * *'),
    TZ: timeZone.default('Asia/Shanghai'),
    HTTP_PORT: int(0, 65535).default(8080),
    HTTP_HOST: bindHost.default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
  })
  .superRefine((env, ctx) => {
    if (env.RECHARGE_MIN <= 0) {
      ctx.addIssue({ code: 'custom', path: ['RECHARGE_MIN'], message: 'must be above 0' });
    }
    if (env.RECHARGE_MAX > MAX_FEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECHARGE_MAX'],
        message: `must be at most ${formatFen(MAX_FEN)} (the largest amount the database holds)`,
      });
    } else if (env.RECHARGE_MIN > env.RECHARGE_MAX) {
      ctx.addIssue({ code: 'custom', path: ['RECHARGE_MIN'], message: 'must not be above RECHARGE_MAX' });
    }
  });

type Env = z.infer<typeof envSchema>;

export type Config = Readonly<{
  telegram: { token: string; apiRoot: string; adminIds: readonly number[] };
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
    maxPendingPerCustomer: number;
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
    parseRulesFile: string | undefined;
  };
  alarms: { silenceMinutes: number; healthReportCron: string };
  timeZone: string;
  httpPort: number;
  httpHost: string;
  logLevel: Env['LOG_LEVEL'];
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
      const message =
        issue.code === 'invalid_type' && env[name] === undefined ? 'is required' : issue.message;
      return `${name}: ${message}`;
    });
    return { ok: false, problems: [...new Set(problems)] };
  }
  return { ok: true, config: toConfig(result.data) };
}

function toConfig(env: Env): Config {
  return {
    telegram: { token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT, adminIds: env.ADMIN_CHAT_IDS },
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
      maxPendingPerCustomer: env.MAX_PENDING_PER_CUSTOMER,
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
      parseRulesFile: env.PARSE_RULES_FILE,
    },
    alarms: { silenceMinutes: env.SILENCE_ALARM_MINUTES, healthReportCron: env.HEALTH_REPORT_CRON },
    timeZone: env.TZ,
    httpPort: env.HTTP_PORT,
    httpHost: env.HTTP_HOST,
    logLevel: env.LOG_LEVEL,
    database: { url: env.DATABASE_URL, dataDir: env.DATA_DIR },
  };
}

/** Every secret of the configuration, for the log scrubber and for error texts that are stored or shown. */
export function secretsOf(config: Config): string[] {
  return [config.telegram.token, config.imap.password, config.database.url].filter(
    (secret): secret is string => secret !== undefined,
  );
}
