import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';

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
    });
    expect(config.imap).toMatchObject({ port: 993, secure: true, mailbox: 'INBOX', pollSeconds: 30 });
    expect(config.recharge).toEqual({
      presetFen: [500, 1000, 1500, 2000],
      minFen: 100,
      maxFen: 500000,
      orderTtlSeconds: 900,
      maxPendingPerCustomer: 3,
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
      parseRulesFile: undefined,
    });
    expect(config.alarms).toEqual({ silenceMinutes: 30, healthReportCron: '0 9 * * *' });
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
      offsetDirection: 'up',
    });
    expect(config.mail.trustedSenders).toEqual(['notify@qq.com', '@alipay.com']);
    expect(config.mail.dnsServers).toEqual(['127.0.0.1:5353', '8.8.8.8']);
    expect(config.alarms.healthReportCron).toBe('*/5 * * * * *');
    expect(config.httpPort).toBe(0);
    expect(config.httpHost).toBe('0.0.0.0');
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
      problems: ['PAYEE_ADDRESSES: expected comma-separated e-mail addresses'],
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
});
