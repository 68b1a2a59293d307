// A misconfigured mailbox, against the real Dovecot: a wrong password, TLS against the plaintext port and a
// missing folder are each told to the admins at once, in words that say what to fix — and a refused login is
// not retried in a hurry.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sleep } from './support/admin.ts';
import { captureLogs } from './support/log-capture.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

const admin = { id: ADMIN_ID, firstName: 'Ada' };

describe.each(DATABASE_KINDS)('a misconfigured mailbox on %s', (kind) => {
  let stack: Stack;
  let goodEnv: Record<string, string>;
  beforeAll(async () => {
    stack = await startStack(kind);
    goodEnv = { ...stack.env };
    // The first start creates the schema (slow on PGlite): out of the tests' own time.
    await stack.startService();
    await stack.stopService();
  });
  afterEach(async () => {
    await stack.stopService();
    Object.assign(stack.env, goodEnv);
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  /** The admin's messages sent from now on that contain `marker`. */
  function adminMessagesFrom(marker: string) {
    const from = stack.telegram.sent.length;
    return () =>
      stack.telegram.sent
        .slice(from)
        .filter((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(marker))
        .map((m) => m.text ?? '');
  }
  const waitForAdmin = (marker: string, timeoutMs = 15_000) =>
    stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes(marker), timeoutMs);
  const failedLogins = async () =>
    (await readFile(path.join(stack.dovecot.dir, 'dovecot.log'), 'utf8')).split('auth failed').length - 1;

  it('names a missing IMAP_MAILBOX folder at once, and says the mailbox is back once the folder exists', async () => {
    stack.env.IMAP_MAILBOX = 'Payments';
    const missing = adminMessagesFrom('Payments');
    // Retried every second here instead of every 5–10 minutes, so the recovery fits in the test.
    await stack.startService({
      waitForMailbox: false,
      tuning: { mailbox: { slowRetry: { baseMs: 1_000, maxMs: 1_000 } } },
    });
    const told = await waitForAdmin('Payments');
    expect(told.text).toContain('没有文件夹');
    expect(told.text).toContain('IMAP_MAILBOX');
    expect(told.text).toContain("Mailbox doesn't exist");

    await sleep(2_500); // two or three more failed attempts
    expect(missing()).toHaveLength(1);
    await stack.dovecot.recreateMailbox('Payments');
    const back = await waitForAdmin('已恢复');
    expect(back.text).toContain('通知邮箱');
  }, 90_000);

  it('says "wrong port or IMAP_SECURE" when TLS is spoken to the plaintext port', async () => {
    stack.env.IMAP_SECURE = 'true';
    const tlsTexts = adminMessagesFrom('TLS');
    const { logger, records } = captureLogs();
    await stack.startService({ waitForMailbox: false, logger });
    const told = await waitForAdmin('TLS');
    expect(told.text).toContain('IMAP_SECURE');
    expect(told.text).toContain('wrong version number');
    const logged = records.find((r) => r.problem === 'tls_mismatch');
    expect(logged?.msg).toContain('wrong IMAP_PORT or IMAP_SECURE');
    await sleep(2_000); // reconnects go on with the ordinary back-off: no login is tried
    expect(records.filter((r) => r.problem === 'tls_mismatch').length).toBeGreaterThan(1);
    expect(tlsTexts()).toHaveLength(1);
  }, 90_000);

  // Last: Dovecot delays logins from an address that keeps failing them.
  it('tells the admins at once that the login was refused, with the server’s words and the 授权码 hint, and retries slowly', async () => {
    stack.env.IMAP_PASSWORD = 'not-the-authorisation-code';
    const refusedTexts = adminMessagesFrom('通知邮箱登录被拒绝');
    const loginsBefore = await failedLogins();
    const { logger, records } = captureLogs([stack.env.IMAP_PASSWORD]);
    const startedAt = Date.now();
    await stack.startService({ waitForMailbox: false, logger });

    // The outage threshold is the production 3 minutes: a report within seconds is the refused-login path.
    const told = await waitForAdmin('登录被拒绝');
    console.log(
      `[${kind}] admins told of the refused login ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start`,
    );
    expect(told.text).toContain('Authentication failed.');
    expect(told.text).toContain('授权码');
    expect(told.text).toContain('IMAP_PASSWORD');
    const logged = records.find((r) => r.problem === 'login_refused');
    expect(logged?.level).toBe(50);
    expect(logged?.msg).toContain('mailbox login refused');
    expect(logged?.msg).toContain('Authentication failed.');
    expect(JSON.stringify(records)).not.toContain('Command failed');
    expect(JSON.stringify(records)).not.toContain('not-the-authorisation-code');

    const health = await (async () => {
      const before = stack.telegram.sent.length;
      stack.telegram.sendText(admin, '/health');
      return stack.telegram.waitFor(
        (m) =>
          m.chatId === ADMIN_ID &&
          stack.telegram.sent.indexOf(m) >= before &&
          (m.text ?? '').includes('运行状态'),
      );
    })();
    expect(health.text).toContain('登录被拒绝');

    await sleep(5_000);
    const attempts = (await failedLogins()) - loginsBefore;
    console.log(`[${kind}] failed logins in the first ~6 s after start: ${attempts}`);
    expect(attempts).toBeGreaterThanOrEqual(1);
    expect(attempts).toBeLessThanOrEqual(2);
    expect(refusedTexts()).toHaveLength(1);
  }, 90_000);
});
