// Opens the database — embedded PGlite under DATA_DIR, or PostgreSQL at DATABASE_URL — and applies migrations.
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { claimDataDir } from './data-dir-lock.ts';
import { type DatabaseCreation, prepareDataDir } from './pglite-data-dir.ts';
import { pgliteOptions } from './pglite-options.ts';
import * as schema from './schema.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Set when this start created the embedded database (see pglite-data-dir.ts). */
  creation: DatabaseCreation | null;
  /** Rows of a raw SQL statement, whichever driver runs it. */
  rows<Row>(query: SQL): Promise<Row[]>;
  /** PGlite only: a consistent gzipped tar of the data folder, taken between transactions. */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));
/** Arbitrary but fixed: serialises migrations when several processes start at once (drizzle takes no lock). */
const MIGRATION_LOCK_KEY = 7_411_202_611;

export async function openDatabase(options: {
  url?: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

/**
 * The embedded database's client, with DATA_DIR created when new (see pglite-data-dir.ts) and claimed for
 * this process (released on close). Opened as is: migrations are the caller's business.
 */
export async function openPgliteClient(
  dataDir: string,
): Promise<{ client: PGlite; creation: DatabaseCreation | null; close(): Promise<void> }> {
  if (dataDir === 'memory://') {
    const client = await PGlite.create(dataDir, pgliteOptions);
    return { client, creation: null, close: () => client.close() };
  }
  const creation = await prepareDataDir(dataDir);
  const lock = claimDataDir(dataDir);
  try {
    const client = await PGlite.create(dataDir, pgliteOptions);
    return {
      client,
      creation,
      async close() {
        await client.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/**
 * A gzipped tar of the data folder that restores to a committed state: taken while no transaction is open
 * (PGlite runs one at a time) and just after a checkpoint, so a restore has little WAL to replay.
 */
export async function dumpPgliteDataDir(client: PGlite): Promise<Blob> {
  await client.exec('CHECKPOINT');
  return client._runExclusiveTransaction(() => client.dumpDataDir('gzip'));
}

async function openPglite(dataDir: string): Promise<Database> {
  const { client, creation, close } = await openPgliteClient(dataDir);
  try {
    const db = drizzlePglite(client, { schema });
    await migratePglite(db, { migrationsFolder });
    return {
      db: db as unknown as Db,
      driver: 'pglite',
      creation,
      rows: (query) => queryRows(db as unknown as Db, query),
      dumpDataDir: () => dumpPgliteDataDir(client),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openPostgres(url: string): Promise<Database> {
  const client = preparingStatements(postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 }));
  const db = drizzlePostgres(client, { schema });
  const lock = await client.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(db, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    lock.release();
  }
  return {
    db: db as unknown as Db,
    driver: 'postgres',
    creation: null,
    rows: (query) => queryRows(db as unknown as Db, query),
    close: () => client.end({ timeout: 5 }),
  };
}

/** Statements with at most this many parameters are prepared: a bounded number of shapes, reused. */
const MAX_PREPARED_PARAMETERS = 32;

/**
 * drizzle runs every query through postgres.js's `unsafe()` unprepared (drizzle-orm#6096), and postgres.js
 * then describes each parameterised statement before running it: two round trips per statement. Prepared,
 * a statement is described once per connection and then costs one. Statements with many parameters
 * (multi-row inserts of varying size) stay unprepared, so the per-connection statement cache stays small.
 */
function preparingStatements<T extends object>(sql: T): T {
  type Work = (tx: object) => unknown;
  const runner = sql as unknown as {
    unsafe: (query: string, parameters?: unknown[], options?: object) => unknown;
    begin?: (...args: unknown[]) => unknown;
    savepoint?: (...args: unknown[]) => unknown;
  };
  // `begin` and `savepoint` hand their work a transaction's own `sql`: it gets the same treatment.
  const wrapScope =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const work = args.pop() as Work;
      return open(...args, (tx: object) => work(preparingStatements(tx)));
    };
  const { unsafe, begin, savepoint } = runner;
  Object.assign(runner, {
    unsafe: (query: string, parameters: unknown[] = [], options: object = {}) =>
      unsafe.call(sql, query, parameters, {
        ...options,
        prepare: parameters.length <= MAX_PREPARED_PARAMETERS,
      }),
    ...(begin ? { begin: wrapScope(begin.bind(sql)) } : {}),
    ...(savepoint ? { savepoint: wrapScope(savepoint.bind(sql)) } : {}),
  });
  return sql;
}

/** Rows of a raw SQL statement: postgres.js returns an array, PGlite an object with `rows`. */
export async function queryRows<Row>(db: Db, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
}

/** PostgreSQL's unique_violation, however the driver wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === '23505') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
