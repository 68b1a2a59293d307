// Per-test databases: a fresh PostgreSQL database on the local server, or a fresh PGlite data directory.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import postgres from 'postgres';

export type DatabaseKind = 'postgres' | 'pglite';
export const DATABASE_KINDS: DatabaseKind[] = ['postgres', 'pglite'];

/** The local PostgreSQL server of dev machines and CI (trust auth); override with TEST_POSTGRES_URL. */
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  /** The environment that points the service at it. */
  env: { DATABASE_URL?: string; DATA_DIR: string };
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mailpay-data-'));
  if (kind === 'pglite') return { kind, env: { DATA_DIR: dataDir }, drop: () => removeDataDir(dataDir) };
  const name = `mailpay_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString(), DATA_DIR: dataDir },
    async drop() {
      const cleanup = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
      await removeDataDir(dataDir);
    },
  };
}

/** DATA_DIR, and the `<DATA_DIR>.initdb-<pid>` folder of a service stopped while it created the database. */
async function removeDataDir(dataDir: string): Promise<void> {
  const beside = (await readdir(dirname(dataDir))).filter((entry) =>
    entry.startsWith(`${basename(dataDir)}.initdb-`),
  );
  await Promise.all(
    [dataDir, ...beside.map((entry) => join(dirname(dataDir), entry))].map((path) =>
      rm(path, { recursive: true, force: true }),
    ),
  );
}
