import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';

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
