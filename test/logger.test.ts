import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isExpectedNetworkError } from '../src/shared/logger/log-failures.ts';
import { logDestination, resolveLogFormat } from '../src/shared/logger/log-format.ts';
import { createLogger } from '../src/shared/logger/logger.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  const secrets = [
    '123456:bot-token-secret',
    'imap-pass-secret',
    'postgres://app:db-pass-secret@db:5432/mailpay',
  ];

  it('never writes the bot token, IMAP password or database password', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info', secrets, destination: stream });
    logger.info({ password: 'imap-pass-secret', token: '123456:bot-token-secret' }, 'fields');
    logger.error(
      { err: new Error('request to https://api.telegram.org/bot123456:bot-token-secret/getMe failed') },
      'in an error',
    );
    logger.warn({ err: new Error('connect to postgres://app:other-secret@db/x refused') }, 'url password');
    logger.info('message with imap-pass-secret inside');
    const output = lines.join('');
    expect(lines).toHaveLength(4);
    for (const secret of ['bot-token-secret', 'imap-pass-secret', 'db-pass-secret', 'other-secret']) {
      expect(output).not.toContain(secret);
    }
    expect(output).toContain('[REDACTED]');
  });

  it('scrubs secrets from child bindings, nested fields and arrays, and any Bot API path', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info', secrets, destination: stream });
    logger.child({ endpoint: 'https://api.telegram.org/bot123456:bot-token-secret/' }).warn(
      {
        failure: { attempts: [{ error: 'login imap-pass-secret refused' }] },
        note: 'GET /bot999:unknown-token-x/getMe',
      },
      'nested',
    );
    const output = lines.join('');
    expect(JSON.parse(output)).toMatchObject({
      endpoint: 'https://api.telegram.org/bot[REDACTED]/',
      failure: { attempts: [{ error: 'login [REDACTED] refused' }] },
      note: 'GET /bot[REDACTED]/getMe',
      msg: 'nested',
    });
    expect(output).not.toContain('unknown-token-x');
  });
});

describe('log format', () => {
  it('is pretty on a terminal and JSON on a pipe unless LOG_FORMAT says otherwise', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it('prints readable lines in pretty mode, with secrets still redacted and scrubbed', () => {
    const { lines, stream } = capture();
    const logger = createLogger({
      level: 'info',
      secrets: ['123456:bot-token-secret'],
      destination: logDestination('pretty', { colorize: false, destination: stream }),
    });
    logger.info({ password: 'imap-pass-secret', orderNo: 'KQZWX123' }, 'order created');
    logger.error({ err: new Error('GET /bot123456:bot-token-secret/getMe failed') }, 'bot down');
    const output = lines.join('');
    expect(output).toMatch(/INFO.*: order created\n/);
    expect(output).toContain('orderNo: "KQZWX123"');
    expect(output).toContain('ERROR');
    expect(() => JSON.parse(lines[0] ?? '')).toThrow();
    expect(output).not.toContain('imap-pass-secret');
    expect(output).not.toContain('bot-token-secret');
  });

  it('writes one JSON object per line in JSON mode', () => {
    const { lines, stream } = capture();
    const logger = createLogger({
      level: 'info',
      secrets: [],
      destination: logDestination('json', { colorize: false, destination: stream }),
    });
    logger.info({ orderNo: 'KQZWX123' }, 'order created');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 30,
      orderNo: 'KQZWX123',
      msg: 'order created',
    });
  });
});

describe('failures in the log', () => {
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:993'), { code: 'ECONNREFUSED', port: 993 });
  const logged = (level: string, log: (logger: ReturnType<typeof createLogger>) => void) => {
    const { lines, stream } = capture();
    log(createLogger({ level, secrets: ['imap-pass-secret'], destination: stream }));
    return lines.map((line) => JSON.parse(line));
  };

  it('puts the first line of the error and of its cause into the message', () => {
    const cause = Object.assign(new Error('password authentication failed\nDETAIL: imap-pass-secret'), {
      code: '28P01',
    });
    const [line] = logged('info', (logger) =>
      logger.error(
        { err: new Error('Failed query: select 1\nparams: ', { cause }) },
        'database check failed',
      ),
    );
    expect(line.msg).toBe('database check failed: Failed query: select 1: password authentication failed');
    expect(line.err.stack).toContain('at ');
  });

  it('keeps no stack for an expected network error unless the level is debug', () => {
    const [info] = logged('info', (logger) => logger.warn({ err: refused() }, 'imap connect failed'));
    expect(info.msg).toBe('imap connect failed: connect ECONNREFUSED 127.0.0.1:993');
    expect(info.err).toMatchObject({
      message: 'connect ECONNREFUSED 127.0.0.1:993',
      code: 'ECONNREFUSED',
      port: 993,
    });
    expect(info.err.stack ?? '').not.toMatch(/\bat /);
    const [debug] = logged('debug', (logger) => logger.warn({ err: refused() }, 'imap connect failed'));
    expect(debug.err.stack).toContain('at ');
  });

  it('recognises a network error wrapped as the cause of another', () => {
    const wrapped = new Error('Failed query: select 1', { cause: refused() });
    expect(isExpectedNetworkError(wrapped)).toBe(true);
    expect(isExpectedNetworkError(new Error('syntax error'))).toBe(false);
    const [line] = logged('info', (logger) => logger.error({ err: wrapped }, 'health check failed'));
    expect(line.err.stack ?? '').not.toMatch(/\bat /);
    expect(line.msg).toBe('health check failed: Failed query: select 1: connect ECONNREFUSED 127.0.0.1:993');
  });
});
