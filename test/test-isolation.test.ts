// `npm test` next to an operator's real set-up: a `.env` in the working directory and live settings in the
// environment must reach no spawned service, and no test may touch a database it did not create.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.ts';
import { fetchHealth, spawnService } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/** A full, valid-looking operator set-up pointing at the canary database and at hosts that do not exist. */
function poisonedSettings(canaryUrl: string): Record<string, string> {
  return {
    DATABASE_URL: canaryUrl,
    TELEGRAM_BOT_TOKEN: '111111:poisoned-token',
    TELEGRAM_API_ROOT: 'http://poisoned.invalid',
    ADMIN_CHAT_IDS: '424242',
    IMAP_HOST: 'imap.poisoned.invalid',
    IMAP_USER: 'poisoned-user',
    IMAP_PASSWORD: 'poisoned-password',
    IMAP_MAILBOX: 'Poisoned',
    PAYEE_QR_URL: 'https://qr.alipay.com/poisoned',
    LOG_LEVEL: 'silent',
  };
}

describe('a spawned service with a poisoned .env and environment around the tests', () => {
  let canary: TestDatabase;
  let cwd: string;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    canary = await createTestDatabase('postgres');
    cwd = await mkdtemp(join(tmpdir(), 'mailpay-cwd-'));
    const poison = poisonedSettings(canary.env.DATABASE_URL ?? '');
    const dotEnv = Object.entries(poison).map(([name, value]) => `${name}=${value}`);
    await writeFile(join(cwd, '.env'), `${dotEnv.join('\n')}\n`);
    for (const [name, value] of Object.entries(poison)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(cwd, { recursive: true, force: true });
    await canary?.drop();
  });

  const canaryTables = async () => {
    const sql = postgres(canary.env.DATABASE_URL ?? '', { max: 1, onnotice: () => {} });
    try {
      const rows = await sql`select table_schema, table_name from information_schema.tables
        where table_schema not in ('pg_catalog', 'information_schema')`;
      return rows.map((row) => `${row.table_schema}.${row.table_name}`);
    } finally {
      await sql.end();
    }
  };

  it('still names every missing variable: nothing came from the .env or the environment', async () => {
    const { exited, output } = spawnService({ DATA_DIR: join(cwd, 'data') }, { cwd });
    expect(await exited).toBe(1);
    const { stderr } = output();
    for (const name of ['TELEGRAM_BOT_TOKEN', 'ADMIN_CHAT_IDS', 'IMAP_HOST', 'IMAP_USER', 'PAYEE_QR_URL']) {
      expect(stderr).toContain(`${name}: is required`);
    }
    expect(stderr).not.toContain('poisoned');
  });

  describe('a PGlite run', () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack('pglite');
    });
    afterAll(async () => {
      await stack?.dispose();
    });

    it('runs on its own data folder, its own mailbox and bot, and leaves the canary database untouched', async () => {
      expect(stack.env.DATABASE_URL).toBeUndefined();
      const service = spawnService(stack.env, { cwd });
      try {
        const up = await eventually(async () => {
          const health = await fetchHealth(stack.env.HTTP_PORT ?? '');
          return health?.status === 200 ? health : undefined;
        }, 60_000);
        expect(up.body).toMatchObject({ components: { mailbox: { up: true }, bot: { up: true } } });
      } finally {
        service.child.kill('SIGTERM');
      }
      expect(await service.exited).toBe(0);
      // The poisoned LOG_LEVEL=silent would have hidden these lines.
      expect(service.output().stdout).toContain('"driver":"pglite"');
      expect(service.output().stdout).toContain('mailpay stopped');
      expect(await readdir(stack.env.DATA_DIR ?? '')).toContain('PG_VERSION');
      expect(await canaryTables()).toEqual([]);
      expect(stack.telegram.sent.every((message) => message.chatId !== 424242)).toBe(true);
    }, 120_000);
  });
});
