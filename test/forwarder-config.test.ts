// FORWARDER_TOKEN and FORWARDER_SECRET: both or neither, long enough, never echoed, scrubbed from logs.
import { describe, expect, it } from 'vitest';
import { parseConfig, secretsOf } from '../src/shared/config/config.ts';

const minimal = {
  TELEGRAM_BOT_TOKEN: '123456:secret-token-value',
  ADMIN_CHAT_IDS: '111',
  IMAP_HOST: 'imap.qq.com',
  IMAP_USER: 'pay@qq.com',
  IMAP_PASSWORD: 'authcode-secret',
  PAYEE_QR_URL: 'https://qr.alipay.com/abc',
};
const TOKEN = 'Fw_token-0123456789';
const SECRET = 'sms-forwarder-secret-42';

describe('the forwarder configuration', () => {
  it('is off unless both are set', () => {
    const result = parseConfig(minimal);
    expect(result.ok && result.config.forwarder).toBeNull();
  });

  it('reads the token and the secret, and counts both as secrets', () => {
    const result = parseConfig({ ...minimal, FORWARDER_TOKEN: TOKEN, FORWARDER_SECRET: SECRET });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.forwarder).toEqual({ token: TOKEN, secret: SECRET });
    expect(secretsOf(result.config)).toEqual(expect.arrayContaining([TOKEN, SECRET]));
  });

  it('refuses one without the other', () => {
    expect(parseConfig({ ...minimal, FORWARDER_TOKEN: TOKEN })).toEqual({
      ok: false,
      problems: ['FORWARDER_SECRET: FORWARDER_TOKEN and FORWARDER_SECRET are set together or not at all'],
    });
    expect(parseConfig({ ...minimal, FORWARDER_SECRET: SECRET }).ok).toBe(false);
  });

  it('refuses a short or path-unsafe token and a short secret without echoing them', () => {
    const result = parseConfig({ ...minimal, FORWARDER_TOKEN: 'short/token?x', FORWARDER_SECRET: 'tiny' });
    expect(result.ok).toBe(false);
    const problems = result.ok ? '' : result.problems.join('\n');
    expect(problems).toContain('FORWARDER_TOKEN: expected at least 16 letters');
    expect(problems).toContain('FORWARDER_SECRET: expected at least 16 printable characters');
    expect(problems).not.toContain('short/token');
    expect(problems).not.toContain('tiny');
  });
});
