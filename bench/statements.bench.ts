// Reconciling a statement: a 10,000-row Alipay CSV against 10,000 recorded payments (most matched by
// transaction id or by amount and time, some missed, some unconfirmed), read and reconciled by the service's
// own use case in a child process, whose time and peak RSS (VmHWM) are the figures.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { parseConfig } from '../src/shared/config/config.ts';
import { openServiceDatabase } from '../src/shared/db/service-database.ts';
import { createLogger } from '../src/shared/logger/logger.ts';
import { npmStartNodeFlags } from '../test/support/service-process.ts';
import { alipayCsv, type TestTransaction } from '../test/support/statements.ts';
import { createTestDatabase, type DatabaseKind } from '../test/support/test-database.ts';
import { BENCH_ENV } from './allocation.bench.ts';

export interface StatementFigures {
  rows: number;
  recorded: number;
  reconcileMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  matched: number;
  missed: number;
  unconfirmed: number;
}

const BASE = Date.parse('2026-11-01T00:00:00+08:00');
const amountOf = (g: number) => 100 + ((g * 37) % 50_000);
const timeOf = (g: number) => BASE + g * 60_000;
const chinaTime = (at: number) => new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
const yuan = (fen: number) => `${Math.trunc(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export async function benchStatements(options: {
  kind: DatabaseKind;
  payments: number;
}): Promise<StatementFigures> {
  const { payments } = options;
  const testDb = await createTestDatabase(options.kind);
  try {
    const env = { ...BENCH_ENV, ...testDb.env };
    await seed(env, payments);
    // 1% of the recorded payments are left out of the statement (unconfirmed); as many rows are new (missed).
    const left = Math.round(payments / 100);
    const rows: TestTransaction[] = [];
    for (let g = 1; g <= payments - left; g++)
      rows.push({
        time: chinaTime(timeOf(g) + 30_000),
        yuan: yuan(amountOf(g)),
        transactionId: g % 2 === 0 ? `T${g}` : `S${g}`,
      });
    for (let g = 1; g <= left; g++)
      rows.push({ time: chinaTime(timeOf(g) + 20_000), yuan: '0.07', transactionId: `M${g}` });
    const file = join(testDb.env.DATA_DIR, '..', `statement-${process.pid}.csv`);
    writeFileSync(file, alipayCsv(rows, { from: chinaTime(BASE), to: chinaTime(timeOf(payments + 1)) }));
    const figures = await runChild(env, file);
    return { rows: rows.length, recorded: payments, ...figures };
  } finally {
    await testDb.drop();
  }
}

/** Recorded payments straight in the database: every other one with a transaction id, all credited automatically. */
async function seed(env: Record<string, string>, payments: number): Promise<void> {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  const database = await openServiceDatabase(
    parsed.config.database,
    createLogger({ level: 'silent', secrets: [] }),
  );
  try {
    await database.rows(sql`
      with m as (
        insert into messages (source, source_key, trusted, received_at)
        select 'mail', 'bench-' || g, true, to_timestamp((${BASE}::bigint + g * 60000 + 5000) / 1000.0)
        from generate_series(1, ${payments}::int) g returning id, source_key)
      insert into payments (message_id, parse_kind, provider, amount_fen, transaction_id, notified_at, processed_at, auth_result, status)
      select m.id, 'payment', 'alipay', 100 + ((g * 37) % 50000), case when g % 2 = 0 then 'T' || g end,
             to_timestamp((${BASE}::bigint + g * 60000) / 1000.0),
             to_timestamp((${BASE}::bigint + g * 60000 + 6000) / 1000.0), 'pass', 'matched'
      from m join generate_series(1, ${payments}::int) g on m.source_key = 'bench-' || g`);
  } finally {
    await database.close();
  }
}

function runChild(
  env: Record<string, string>,
  file: string,
): Promise<Omit<StatementFigures, 'rows' | 'recorded'>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...npmStartNodeFlags(), 'bench/statements.child.mjs', file], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}'))
        : reject(new Error(`child exited ${code}`)),
    );
  });
}
