// TELEGRAM_WEBHOOK's configuration: it needs PUBLIC_URL, and its secret is given or derived from the token.
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

describe('the webhook configuration', () => {
  it('asks for PUBLIC_URL when TELEGRAM_WEBHOOK=true', () => {
    const result = parseConfig({ ...minimal, TELEGRAM_WEBHOOK: 'true' });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems).toEqual([
        expect.stringMatching(/^PUBLIC_URL: is required when TELEGRAM_WEBHOOK/),
      ]);
  });

  it('derives a secret Telegram accepts from the token, the same on every instance, and scrubs it from logs', () => {
    const env = { ...minimal, TELEGRAM_WEBHOOK: 'true', PUBLIC_URL: 'https://pay.example.com' };
    const first = parseConfig(env);
    const second = parseConfig(env);
    const other = parseConfig({ ...env, TELEGRAM_BOT_TOKEN: '123456:another-token' });
    if (!first.ok || !second.ok || !other.ok) throw new Error('config refused');
    const secret = first.config.telegram.webhook?.secret ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{32,256}$/);
    expect(second.config.telegram.webhook?.secret).toBe(secret);
    expect(other.config.telegram.webhook?.secret).not.toBe(secret);
    expect(secret).not.toContain('secret-token-value');
    expect(secretsOf(first.config)).toContain(secret);
  });

  it('takes TELEGRAM_WEBHOOK_SECRET as given, and refuses one Telegram would not, without echoing it', () => {
    const env = { ...minimal, TELEGRAM_WEBHOOK: 'true', PUBLIC_URL: 'https://pay.example.com' };
    const given = parseConfig({ ...env, TELEGRAM_WEBHOOK_SECRET: 'my_own-secret-1234567' });
    expect(given.ok && given.config.telegram.webhook).toEqual({ secret: 'my_own-secret-1234567' });
    const bad = parseConfig({ ...env, TELEGRAM_WEBHOOK_SECRET: 'has spaces and: colons!' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems.join('\n')).toContain('TELEGRAM_WEBHOOK_SECRET');
      expect(bad.problems.join('\n')).not.toContain('colons');
    }
  });
});
