// The bot token never reaches a log line or a database row, even when the Bot API answers an HTML page and
// telegraf's error ("invalid json response body at …/bot<TOKEN>/sendMessage") carries it in its text.
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecordUnprocessable } from '../src/modules/ingestion/record-unprocessable.ts';
import { adminAudienceOf } from '../src/modules/notify/admin-audience.ts';
import { parseConfig, secretsOf } from '../src/shared/config/config.ts';
import { transactionOf } from '../src/shared/db/store.ts';
import { createLogger } from '../src/shared/logger/logger.ts';
import { eventually } from './support/eventually.ts';
import { incoming } from './support/ingest.ts';
import { ADMIN_ID, type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';
import { openUseCaseDatabase, testConfig, type UseCaseDatabase } from './support/use-case-database.ts';

// A captive portal or a misconfigured proxy answering in place of the Bot API.
const PORTAL_PAGE = '<html><head><title>Sign in to the network</title></head><body>portal</body></html>';

/** Every row of every table of the service's database, as JSON text. */
async function everyRow(stack: Stack): Promise<string[]> {
  const tables = await stack.rows<{ name: string }>(
    sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
  );
  const rows: string[] = [];
  for (const { name } of tables) {
    const found = await stack.rows<{ row: string }>(
      sql`select row_to_json(t)::text as row from ${sql.identifier(name)} t`,
    );
    rows.push(...found.map((r) => r.row));
  }
  return rows;
}

describe.each(DATABASE_KINDS)('secrets on %s', (kind) => {
  let stack: Stack;
  const lines: string[] = [];
  beforeAll(async () => {
    stack = await startStack(kind);
    const parsed = parseConfig(stack.env);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // The logger main.ts builds.
    const logger = createLogger({ level: 'debug', secrets: secretsOf(parsed.config), destination });
    await stack.startService({ logger });
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  it('keeps the token out of every log line and stored error when the Bot API answers HTML', async () => {
    const token = stack.telegram.token;
    const tokenSecret = token.split(':')[1] ?? token;
    stack.telegram.failNext('sendMessage', 3, { status: 200, rawBody: PORTAL_PAGE });
    // A customer's direct reply fails inside the bot handler (and so does its "something went wrong").
    stack.telegram.sendText({ id: 77_001, firstName: 'Cu' }, '/balance');
    await eventually(async () => (lines.some((l) => l.includes('bot handler failed')) ? true : undefined));
    // An admin's answer goes through the outbox: it fails, is retried, and arrives.
    stack.telegram.sendText({ id: ADMIN_ID, firstName: 'Ada' }, '/stats');
    const retried = await eventually(async () => {
      const [row] = await stack.rows<{ last_error: string | null }>(
        sql`select last_error from outbox where chat_id = ${ADMIN_ID} and last_error is not null`,
      );
      return row?.last_error ?? undefined;
    });
    expect(retried).toContain('invalid json response body');
    await stack.telegram.waitFor((m) => m.chatId === ADMIN_ID && (m.text ?? '').includes('📊'), 15_000);

    const log = lines.join('');
    expect(log).toContain('message will be retried');
    expect(log).toContain('invalid json response body');
    expect(log).not.toContain(tokenSecret);
    const rows = await everyRow(stack);
    expect(rows.some((row) => row.includes('invalid json response body'))).toBe(true);
    expect(rows.filter((row) => row.includes(tokenSecret))).toEqual([]);
  }, 30_000);
});

describe.each(DATABASE_KINDS)('stored processing errors on %s', (kind) => {
  let db: UseCaseDatabase;
  beforeAll(async () => {
    db = await openUseCaseDatabase(kind);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('keeps the token and the mailbox password out of a failed message and the admins’ alert', async () => {
    const config = testConfig({
      TELEGRAM_BOT_TOKEN: '654321:AAH-stored-error-token',
      IMAP_PASSWORD: 'mbx-pass-9f3',
    });
    const giveUp = createRecordUnprocessable({
      transaction: transactionOf(db.database.db),
      admins: adminAudienceOf(config),
      secrets: secretsOf(config),
      clock: { now: () => new Date() },
      onQueued: () => {},
    });
    const error = new Error(
      'request to https://api.telegram.org/bot654321:AAH-stored-error-token/getFile failed; login mbx-pass-9f3 refused',
    );
    const message = incoming(Buffer.from('Subject: x\r\n\r\ny'), {
      envelope: { messageId: '<leak@qq.com>', subject: 'x', from: 'a@qq.com' },
    });
    expect(await giveUp(message, error)).toMatchObject({ kind: 'failed' });
    const rows = await db.database.rows<{ row: string }>(
      sql`select row_to_json(p)::text as row from payments p union all select row_to_json(o)::text from outbox o`,
    );
    const text = rows.map((r) => r.row).join('\n');
    expect(text).toContain('getFile failed');
    expect(text).not.toContain('stored-error-token');
    expect(text).not.toContain('mbx-pass-9f3');
  });
});
