// The service as an operator runs it (`npm start`'s command): configuration errors, /healthz, SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { freePort } from './support/free-port.ts';
import { fetchHealth, type ServiceProcess, spawnService } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

describe('start-up configuration', () => {
  it('names every bad variable in one message, exits 1, prints no stack trace and no secret', async () => {
    const { exited, output } = spawnService({
      TELEGRAM_BOT_TOKEN: 'wrong-shaped-secret-token',
      IMAP_PASSWORD: 'super-secret-imap-password',
      IMAP_PORT: 'seventy',
      MAIL_AUTH: 'sometimes',
      HEALTH_REPORT_CRON: '61 * * * *',
      HTTP_PORT: 'x',
      DATA_DIR: '/nonexistent/never-created',
    });
    expect(await exited).toBe(1);
    const { stdout, stderr } = output();
    expect(stdout).toBe('');
    for (const name of [
      'TELEGRAM_BOT_TOKEN',
      'ADMIN_CHAT_IDS',
      'IMAP_HOST',
      'IMAP_USER',
      'IMAP_PORT',
      'MAIL_AUTH',
      'PAYEE_QR_URL',
      'HEALTH_REPORT_CRON',
    ]) {
      expect(stderr).toContain(`${name}:`);
    }
    expect(stderr).toContain('HTTP_PORT: expected a port number 0–65535, got "x"');
    expect(stderr).toContain('copy .env.example to .env');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('wrong-shaped-secret-token');
    expect(stderr).not.toContain('super-secret-imap-password');
  });

  it('with LOG_FORMAT=pretty, logs a start-up failure as readable lines: the cause in the message, no stack', async () => {
    const closedPort = await freePort();
    const { exited, output } = spawnService({
      TELEGRAM_BOT_TOKEN: '1:abc',
      ADMIN_CHAT_IDS: '1',
      IMAP_HOST: '127.0.0.1',
      IMAP_USER: 'user',
      IMAP_PASSWORD: 'db-and-imap-secret',
      PAYEE_QR_URL: 'https://qr.alipay.com/x',
      DATABASE_URL: `postgres://mailpay:db-and-imap-secret@127.0.0.1:${closedPort}/mailpay`,
      HTTP_PORT: '0',
      LOG_FORMAT: 'pretty',
    });
    expect(await exited).toBe(1);
    const { stdout } = output();
    expect(stdout).toMatch(/FATAL: mailpay failed to start: connect ECONNREFUSED 127\.0\.0\.1:\d+\n/);
    expect(stdout).not.toMatch(/^\s*\{"level"/m);
    expect(stdout).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('db-and-imap-secret');
  });

  it('rejects an invalid PARSE_RULES_FILE with its problems named', async () => {
    const { exited, output } = spawnService({ PARSE_RULES_FILE: '/nonexistent/rules.json' });
    expect(await exited).toBe(1);
    expect(output().stderr).toContain('PARSE_RULES_FILE: cannot read /nonexistent/rules.json');
  });
});

describe.each(DATABASE_KINDS)('the running service on %s', (kind) => {
  let stack: Stack;
  let service: ServiceProcess | null = null;
  beforeAll(async () => {
    stack = await startStack(kind);
  });
  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await stack?.dispose();
  });

  it('reports healthy components on /healthz, 503 while the mailbox is down, and stops cleanly on SIGTERM', async () => {
    service = spawnService(stack.env);
    const port = stack.env.HTTP_PORT ?? '';
    const up = await eventually(async () => {
      const health = await fetchHealth(port);
      return health?.status === 200 ? health : undefined;
    }, 30_000);
    expect(up.body).toMatchObject({
      status: 'ok',
      components: { database: { up: true }, mailbox: { up: true }, bot: { up: true } },
    });

    await stack.dovecot.stop();
    const down = await eventually(async () => {
      const health = await fetchHealth(port);
      return health?.status === 503 ? health : undefined;
    }, 60_000);
    expect(down.body).toMatchObject({ status: 'degraded', components: { mailbox: { up: false } } });

    await stack.dovecot.start();
    await eventually(async () => ((await fetchHealth(port))?.status === 200 ? true : undefined), 60_000);

    const stoppedAt = Date.now();
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(service.output().stdout).toContain('mailpay stopped');
    service = null;
  }, 120_000);
});
