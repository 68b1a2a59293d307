// Why a mailbox connection failed, read from the errors imapflow and Node really raise (shapes captured from
// imapflow 2.10 against Dovecot).
import { describe, expect, it } from 'vitest';
import { classifyMailboxFailure } from '../src/modules/ingestion/mail/mailbox-problem.ts';

const plain = { secure: false };
const tls = { secure: true };

/** An error as imapflow builds it: a message plus the server's fields. */
const imapError = (message: string, fields: Record<string, unknown>) =>
  Object.assign(new Error(message), fields);

describe('classifyMailboxFailure', () => {
  it('recognises a refused login and keeps the server text, not "Command failed"', () => {
    const error = imapError('Command failed', {
      response: '2 NO [AUTHENTICATIONFAILED] Authentication failed.',
      responseStatus: 'NO',
      responseText: 'Authentication failed.',
      serverResponseCode: 'AUTHENTICATIONFAILED',
      authenticationFailed: true,
      executedCommand: '2 LOGIN tester secret',
    });
    expect(classifyMailboxFailure(error, plain)).toEqual({
      kind: 'login_refused',
      detail: 'Authentication failed.',
    });
  });

  it('recognises a refused login without a response code (QQ answers a bare NO)', () => {
    const error = imapError('Command failed', {
      response: 'NO Login fail. Account is abnormal, service is not open, password is incorrect',
      responseStatus: 'NO',
      authenticationFailed: true,
    });
    expect(classifyMailboxFailure(error, tls)).toMatchObject({ kind: 'login_refused' });
    expect(classifyMailboxFailure(error, tls).detail).toContain('password is incorrect');
  });

  it('does not take a connection lost during login for a refused password', () => {
    // imapflow raises its AuthenticationFailure class when the connection is already gone: no server answer.
    const error = imapError('Already logged out', { authenticationFailed: true });
    expect(classifyMailboxFailure(error, tls).kind).toBe('unreachable');
  });

  it('treats a temporary refusal (UNAVAILABLE, INUSE) as an outage to retry, not a wrong password', () => {
    for (const code of ['UNAVAILABLE', 'INUSE']) {
      const error = imapError('Command failed', {
        response: `2 NO [${code}] Try again later`,
        responseStatus: 'NO',
        authenticationFailed: true,
      });
      expect(classifyMailboxFailure(error, tls).kind).toBe('unreachable');
    }
  });

  it('recognises a missing folder, by imapflow’s flag or by the NONEXISTENT code', () => {
    const flagged = imapError('Command failed', {
      response: "8 NO Mailbox doesn't exist: Payments (0.001 + 0.000 secs).",
      responseStatus: 'NO',
      responseText: "Mailbox doesn't exist: Payments (0.001 + 0.000 secs).",
      mailboxMissing: true,
    });
    expect(classifyMailboxFailure(flagged, plain)).toEqual({
      kind: 'mailbox_missing',
      detail: "Mailbox doesn't exist: Payments (0.001 + 0.000 secs).",
    });
    const coded = imapError('Command failed', {
      response: '3 NO [NONEXISTENT] Unknown Mailbox: Payments',
      responseStatus: 'NO',
    });
    expect(classifyMailboxFailure(coded, plain).kind).toBe('mailbox_missing');
  });

  it('recognises TLS spoken to a plaintext port, and plaintext to a TLS port', () => {
    const wrongVersion = Object.assign(
      new Error(
        '80FC235D167F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n',
      ),
      { library: 'SSL routines', reason: 'wrong version number', code: 'ERR_SSL_WRONG_VERSION_NUMBER' },
    );
    const problem = classifyMailboxFailure(wrongVersion, tls);
    expect(problem.kind).toBe('tls_mismatch');
    expect(problem.detail).toContain('wrong version number');
    expect(problem.detail).not.toContain('\n');

    const hungUp = Object.assign(
      new Error('Client network socket disconnected before secure TLS connection was established'),
      { code: 'ECONNRESET' },
    );
    expect(classifyMailboxFailure(hungUp, tls).kind).toBe('tls_mismatch');

    const noGreeting = imapError(
      'Failed to receive greeting from server in required time. Maybe should use TLS?',
      {
        code: 'GREETING_TIMEOUT',
      },
    );
    expect(classifyMailboxFailure(noGreeting, plain).kind).toBe('tls_mismatch');
    expect(classifyMailboxFailure(noGreeting, tls).kind).toBe('unreachable');

    const privacy = imapError('Command failed', {
      response:
        '1 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.',
      responseStatus: 'NO',
      authenticationFailed: true,
    });
    expect(classifyMailboxFailure(privacy, plain).kind).toBe('tls_mismatch');
  });

  it('tells an untrusted certificate apart from a port mix-up', () => {
    for (const code of ['DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      const error = Object.assign(new Error('certificate problem'), { code });
      expect(classifyMailboxFailure(error, tls).kind).toBe('certificate_rejected');
    }
  });

  it('keeps plain network failures an outage', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EConnectionClosed']) {
      const error = Object.assign(new Error(`connect ${code} 127.0.0.1:993`), { code });
      expect(classifyMailboxFailure(error, tls).kind).toBe('unreachable');
    }
    expect(classifyMailboxFailure('a string thrown', tls)).toEqual({
      kind: 'unreachable',
      detail: 'a string thrown',
    });
    expect(classifyMailboxFailure(null, tls).kind).toBe('unreachable');
  });

  it('keeps one clipped line of the server’s words, without control characters', () => {
    const error = imapError('Command failed', {
      responseText: `Bad\u0007 password\u202e ${'x'.repeat(500)}\r\n* second line`,
      responseStatus: 'NO',
      authenticationFailed: true,
    });
    const { detail } = classifyMailboxFailure(error, tls);
    expect(detail.startsWith('Bad password')).toBe(true);
    expect(detail).toHaveLength(200);
    expect(detail.endsWith('…')).toBe(true);
    expect(detail).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});
