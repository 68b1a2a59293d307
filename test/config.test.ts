import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/shared/config/config.ts';
import { describeConfigProblems } from '../src/shared/config/config-problems.ts';

const minimal = {
  TELEGRAM_BOT_TOKEN: '123456:secret-token-value',
  ADMIN_CHAT_IDS: '111,222',
  IMAP_HOST: 'imap.qq.com',
  IMAP_USER: 'pay@qq.com',
  IMAP_PASSWORD: 'authcode-secret',
  PAYEE_QR_URL: 'https://qr.alipay.com/abc',
};

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const result = parseConfig(minimal);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { config } = result;
    expect(config.telegram).toEqual({
      token: minimal.TELEGRAM_BOT_TOKEN,
      apiRoot: 'https://api.telegram.org',
      adminIds: [111, 222],
      adminLanguage: 'zh',
      webhook: null,
    });
    expect(config.imap).toMatchObject({ port: 993, secure: true, mailbox: 'INBOX', pollSeconds: 30 });
    expect(config.recharge).toEqual({
      presetFen: [500, 1000, 1500, 2000],
      minFen: 100,
      maxFen: 500000,
      orderTtlSeconds: 900,
      limits: { maxPending: 3, maxCreated: 10, maxCancelled: 5 },
      offsetMaxFen: 50,
      offsetDirection: 'down',
      whenMailboxDown: 'warn',
    });
    expect(config.mail).toEqual({
      trustedSenders: ['@alipay.com'],
      payeeAddresses: ['pay@qq.com'],
      auth: 'dkim',
      dnsServers: undefined,
      maxBytes: 2_000_000,
      examineTimeoutMs: 10_000,
      parseRulesFile: undefined,
    });
    expect(config.alarms).toEqual({ silenceMinutes: 30, healthReportCron: '0 9 * * *', floodPerMinute: 5 });
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.httpPort).toBe(8080);
    expect(config.httpHost).toBe('127.0.0.1');
    expect(config.database).toEqual({ url: undefined, dataDir: './data' });
  });

  it('reads every variable', () => {
    const result = parseConfig({
      ...minimal,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081',
      IMAP_PORT: '143',
      IMAP_SECURE: 'false',
      IMAP_MAILBOX: 'Payments',
      RECHARGE_AMOUNTS: '10, 20.5',
      RECHARGE_MIN: '0.5',
      RECHARGE_MAX: '100',
      ORDER_TTL_SECONDS: '600',
      TRUSTED_SENDERS: 'notify@qq.com,@Alipay.com',
      MAIL_AUTH: 'none',
      DNS_SERVERS: '127.0.0.1:5353,8.8.8.8',
      RECHARGE_WHEN_MAILBOX_DOWN: 'refuse',
      MAX_PENDING_PER_CUSTOMER: '2',
      MAX_ORDERS_PER_HOUR: '20',
      MAX_CANCELS_PER_HOUR: '8',
      AMOUNT_OFFSET_MAX_FEN: '99',
      AMOUNT_OFFSET_DIRECTION: 'up',
      IMAP_POLL_SECONDS: '60',
      MAIL_MAX_BYTES: '100000',
      PARSE_RULES_FILE: '/etc/mailpay/rules.json',
      SILENCE_ALARM_MINUTES: '10',
      HEALTH_REPORT_CRON: '*/5 * * * * *',
      TZ: 'Europe/Berlin',
      HTTP_PORT: '0',
      HTTP_HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'pretty',
      ADMIN_LANGUAGE: 'en',
      DATABASE_URL: 'postgres://u:p@localhost/db',
      DATA_DIR: '/var/lib/mailpay',
    });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const { config } = result;
    expect(config.imap).toMatchObject({ port: 143, secure: false, mailbox: 'Payments', pollSeconds: 60 });
    expect(config.recharge.presetFen).toEqual([1000, 2050]);
    expect(config.recharge).toMatchObject({
      minFen: 50,
      maxFen: 10000,
      orderTtlSeconds: 600,
      limits: { maxPending: 2, maxCreated: 20, maxCancelled: 8 },
      offsetDirection: 'up',
    });
    expect(config.mail.trustedSenders).toEqual(['notify@qq.com', '@alipay.com']);
    expect(config.mail.dnsServers).toEqual(['127.0.0.1:5353', '8.8.8.8']);
    expect(config.alarms.healthReportCron).toBe('*/5 * * * * *');
    expect(config.httpPort).toBe(0);
    expect(config.httpHost).toBe('0.0.0.0');
    expect(config.logFormat).toBe('pretty');
    expect(config.telegram.adminLanguage).toBe('en');
    expect(config.database.url).toBe('postgres://u:p@localhost/db');
  });

  it('names every missing or bad variable at once and echoes no secret', () => {
    const result = parseConfig({
      TELEGRAM_BOT_TOKEN: 'not a token but a secret',
      IMAP_PORT: 'abc',
      MAIL_AUTH: 'maybe',
      RECHARGE_MIN: '10.001',
      HEALTH_REPORT_CRON: 'every day',
      TZ: 'Mars/Olympus',
      PAYEE_QR_URL: 'https://qr.alipay.com/x',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.problems.map((p) => p.split(':')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        'TELEGRAM_BOT_TOKEN',
        'ADMIN_CHAT_IDS',
        'IMAP_HOST',
        'IMAP_USER',
        'IMAP_PASSWORD',
        'IMAP_PORT',
        'MAIL_AUTH',
        'RECHARGE_MIN',
        'HEALTH_REPORT_CRON',
        'TZ',
      ]),
    );
    expect(result.problems.find((p) => p.startsWith('ADMIN_CHAT_IDS'))).toBe('ADMIN_CHAT_IDS: is required');
    expect(result.problems.join('\n')).not.toContain('not a token but a secret');
  });

  it('reads PAYEE_ADDRESSES as lower-case addresses, and refuses anything else', () => {
    const result = parseConfig({ ...minimal, PAYEE_ADDRESSES: 'Pay@QQ.com, shop@example.org' });
    expect(result.ok && result.config.mail.payeeAddresses).toEqual(['pay@qq.com', 'shop@example.org']);
    expect(parseConfig({ ...minimal, PAYEE_ADDRESSES: 'pay@qq.com,@alipay.com' })).toEqual({
      ok: false,
      problems: ['PAYEE_ADDRESSES: expected comma-separated e-mail addresses, got "pay@qq.com,@alipay.com"'],
    });
  });

  it('rejects a minimum above the maximum', () => {
    const result = parseConfig({ ...minimal, RECHARGE_MIN: '100', RECHARGE_MAX: '10' });
    expect(result).toEqual({ ok: false, problems: ['RECHARGE_MIN: must not be above RECHARGE_MAX'] });
  });

  it('refuses a zero minimum and a maximum beyond the fen columns (int4) range', () => {
    expect(parseConfig({ ...minimal, RECHARGE_MIN: '0', RECHARGE_MAX: '10' })).toEqual({
      ok: false,
      problems: ['RECHARGE_MIN: must be above 0'],
    });
    expect(parseConfig({ ...minimal, RECHARGE_MAX: '21474837' })).toEqual({
      ok: false,
      problems: ['RECHARGE_MAX: must be at most 21474836.47 (the largest amount the database holds)'],
    });
    const largest = parseConfig({ ...minimal, RECHARGE_MAX: '21474836.47' });
    expect(largest.ok && largest.config.recharge.maxFen).toBe(2_147_483_647);
  });

  it('refuses an HTTP_HOST that is not an address or host name', () => {
    const result = parseConfig({ ...minimal, HTTP_HOST: 'http://0.0.0.0:80/' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.startsWith('HTTP_HOST:')).toBe(true);
  });

  it('reports a minimum above the maximum together with the other problems', () => {
    const result = parseConfig({ ...minimal, RECHARGE_MIN: '100', RECHARGE_MAX: '10', HTTP_PORT: 'x' });
    expect(result).toEqual({
      ok: false,
      problems: [
        'HTTP_PORT: expected a port number 0–65535, got "x"',
        'RECHARGE_MIN: must not be above RECHARGE_MAX',
      ],
    });
  });
});

/** Every variable with a bad value, and the words that must say what is wrong with it. */
const BAD_VALUES: Array<[name: string, value: string, problem: string]> = [
  ['TELEGRAM_BOT_TOKEN', 'secret but no colon', 'expected a bot token like 123456:ABC-def'],
  ['TELEGRAM_API_ROOT', 'ftp://api.example', 'expected an http:// or https:// URL, got "ftp://api.example"'],
  ['ADMIN_CHAT_IDS', '111,alice', 'expected comma-separated numeric Telegram user ids, got "111,alice"'],
  ['ADMIN_LANGUAGE', 'fr', 'expected zh or en, got "fr"'],
  ['IMAP_HOST', '  ', 'expected the IMAP server host name, got only blanks'],
  ['IMAP_PORT', '99999', 'expected a port number 1–65535, got "99999"'],
  ['IMAP_SECURE', 'maybe', 'expected true or false (or 1/0, yes/no), got "maybe"'],
  ['IMAP_USER', ' ', 'expected the mailbox login, got only blanks'],
  [
    'IMAP_PASSWORD',
    '   ',
    'expected the mailbox password (QQ Mail: the authorisation code), got only blanks',
  ],
  ['IMAP_MAILBOX', ' ', 'expected a mailbox folder name such as INBOX, got only blanks'],
  ['IMAP_POLL_SECONDS', '0', 'expected a number of seconds 1–3600, got "0"'],
  ['PAYEE_QR_URL', ' ', 'expected the content of the payee collection QR code, got only blanks'],
  ['RECHARGE_AMOUNTS', '5,ten', 'expected comma-separated yuan amounts like 5,10,15,20, got "5,ten"'],
  ['RECHARGE_MIN', '1.234', 'expected an amount in yuan like 10 or 9.99, got "1.234"'],
  ['RECHARGE_MAX', '-3', 'expected an amount in yuan like 10 or 9.99, got "-3"'],
  ['ORDER_TTL_SECONDS', '30', 'expected a number of seconds 60–86400, got "30"'],
  ['RECHARGE_WHEN_MAILBOX_DOWN', 'panic', 'expected warn or refuse, got "panic"'],
  ['MAX_PENDING_PER_CUSTOMER', '2.5', 'expected a whole number 1–100, got "2.5"'],
  ['MAX_ORDERS_PER_HOUR', '0', 'expected a number of orders 1–1000, got "0"'],
  ['MAX_CANCELS_PER_HOUR', 'many', 'expected a number of cancellations 1–1000, got "many"'],
  ['AMOUNT_OFFSET_MAX_FEN', '1e3', 'expected an amount in fen 0–9999, got "1e3"'],
  ['AMOUNT_OFFSET_DIRECTION', 'sideways', 'expected down or up, got "sideways"'],
  ['TRUSTED_SENDERS', 'alipay', 'expected comma-separated addresses or @domains, got "alipay"'],
  ['MAIL_AUTH', 'sometimes', 'expected dkim or none, got "sometimes"'],
  [
    'DNS_SERVERS',
    '1.1.1.1;8.8.8.8',
    'expected comma-separated host or host:port resolvers, got "1.1.1.1;8.8.8.8"',
  ],
  ['MAIL_MAX_BYTES', '2MB', 'expected a size in bytes 1000–100000000, got "2MB"'],
  ['MAIL_EXAMINE_TIMEOUT_MS', '10s', 'expected a number of milliseconds 100–600000, got "10s"'],
  ['PARSE_RULES_FILE', ' ', 'expected the path of a JSON rules file, got only blanks'],
  ['SILENCE_ALARM_MINUTES', 'soon', 'expected a number of minutes 1–10080, got "soon"'],
  ['ADMIN_FLOOD_PER_MINUTE', '0', 'expected a number of messages 1–1000, got "0"'],
  [
    'HEALTH_REPORT_CRON',
    '61 * * * *',
    'expected a cron expression like "0 9 * * *" (minute "61" is not valid), got "61 * * * *"',
  ],
  ['TZ', 'Mars/Olympus', 'expected an IANA time zone such as Asia/Shanghai, got "Mars/Olympus"'],
  ['HTTP_PORT', 'x', 'expected a port number 0–65535, got "x"'],
  ['LOG_LEVEL', 'loud', 'expected fatal, error, warn, info, debug, trace or silent, got "loud"'],
  ['LOG_FORMAT', 'colour', 'expected auto, pretty or json, got "colour"'],
  ['DATABASE_URL', 'mysql://u:hunter2@db/x', 'expected a postgres:// connection URL'],
  ['DATA_DIR', ' ', 'expected a folder for the embedded database, got only blanks'],
];

describe('parseConfig on bad values', () => {
  it.each(BAD_VALUES)('says in words what is wrong with %s=%j', (name, value, problem) => {
    expect(parseConfig({ ...minimal, [name]: value })).toEqual({
      ok: false,
      problems: [`${name}: ${problem}`],
    });
  });

  it('reports every bad variable of the table at once, in words, without a stack trace', () => {
    const result = parseConfig(Object.fromEntries(BAD_VALUES.map(([name, value]) => [name, value])));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(BAD_VALUES.map(([name, , problem]) => `${name}: ${problem}`));
    expect(result.problems.join('\n')).not.toMatch(/Invalid input|NaN|\n\s+at |hunter2/);
  });

  it('accepts every cron expression node-cron accepts and no other', () => {
    for (const good of ['0 9 * * *', '*/5 * * * * *', '30 8 * * 1-5']) {
      expect(parseConfig({ ...minimal, HEALTH_REPORT_CRON: good }).ok).toBe(true);
    }
    for (const bad of ['0 25 * * *', '* * * * * * *', 'every day']) {
      expect(parseConfig({ ...minimal, HEALTH_REPORT_CRON: bad }).ok).toBe(false);
    }
  });
});

describe('describeConfigProblems', () => {
  it('lists each problem and, when a variable is missing, says to copy .env.example to .env', () => {
    const text = describeConfigProblems(['IMAP_HOST: is required', 'HTTP_PORT: expected a port number']);
    expect(text).toBe(
      [
        'mailpay cannot start; fix the configuration:',
        '  - IMAP_HOST: is required',
        '  - HTTP_PORT: expected a port number',
        'Required variables are missing: copy .env.example to .env and fill them in.',
        '',
      ].join('\n'),
    );
  });

  it('gives no copy hint when every variable is present', () => {
    expect(describeConfigProblems(['HTTP_PORT: expected a port number'])).not.toContain('.env.example');
  });
});
