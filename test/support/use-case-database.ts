// Use cases wired straight to a fresh database (no IMAP, no Telegram): for tests that drive time and
// randomness themselves and read the outbox instead of a chat.
import { sql } from 'drizzle-orm';
import type { CustomerProfile } from '../../src/modules/customers/telegram-customers.repository.ts';
import { type Config, parseConfig } from '../../src/shared/config/config.ts';
import { type Database, openDatabase } from '../../src/shared/db/database.ts';
import { createTestDatabase, type DatabaseKind } from './test-database.ts';

export interface UseCaseDatabase {
  database: Database;
  dispose(): Promise<void>;
}

export async function openUseCaseDatabase(kind: DatabaseKind): Promise<UseCaseDatabase> {
  const test = await createTestDatabase(kind);
  const database = await openDatabase({ url: test.env.DATABASE_URL, dataDir: test.env.DATA_DIR });
  return {
    database,
    async dispose() {
      await database.close();
      await test.drop();
    },
  };
}

/** A valid configuration with `overrides` applied (the environment variables of SPEC §2). */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const parsed = parseConfig({
    TELEGRAM_BOT_TOKEN: '123456:TEST-token',
    ADMIN_CHAT_IDS: '9001',
    IMAP_HOST: '127.0.0.1',
    IMAP_USER: 'tester',
    IMAP_PASSWORD: 'secret',
    PAYEE_QR_URL: 'https://qr.alipay.com/fkx12345test',
    ...overrides,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config;
}

/** A clock the test moves by hand. */
export function manualClock(start: Date) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set(at: Date) {
      now = at.getTime();
    },
  };
}

export const customer = (id: number, languageCode: string | null = null): CustomerProfile => ({
  id,
  chatId: id,
  username: null,
  firstName: `C${id}`,
  languageCode,
});

/** Texts of the messages queued for a chat, oldest first. */
export async function queuedFor(database: Database, chatId: number): Promise<string[]> {
  const rows = await database.rows<{ message: { text?: string; caption?: string } }>(
    sql`select message from outbox where chat_id = ${chatId} order by id`,
  );
  return rows.map((row) => row.message.text ?? row.message.caption ?? '');
}
