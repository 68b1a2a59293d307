// `npm run backup [FILE]`: a consistent copy of the embedded database as a .tar.gz — taken by the running
// service when one holds DATA_DIR, else read from DATA_DIR directly (held meanwhile, so no service starts on
// it). With DATABASE_URL the data is in PostgreSQL: it prints the pg_dump command to use instead.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadEnvFileNamedIn } from './shared/config/dotenv.ts';
import { requestBackup, writeBackup } from './shared/db/backup-requests.ts';
import { dataDirHolder } from './shared/db/data-dir-lock.ts';
import { dumpPgliteDataDir, openPgliteClient } from './shared/db/database.ts';

const SERVICE_TIMEOUT_MS = 300_000;

const argv = process.argv.slice(2);
loadEnvFileNamedIn(argv);
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const named = argv.find((arg) => !arg.startsWith('--'));

if (process.env.DATABASE_URL) {
  process.stderr.write(postgresAdvice(process.env.DATABASE_URL, named ?? `mailpay-${stamp}.dump`));
  process.exit(1);
}

const dataDir = resolve(process.env.DATA_DIR || './data');
const output = resolve(named ?? `mailpay-backup-${stamp}.tar.gz`);
try {
  if (!existsSync(join(dataDir, 'PG_VERSION')))
    throw new Error(`there is no database in ${dataDir} (DATA_DIR)`);
  const holder = dataDirHolder(dataDir);
  let bytes: number;
  if (holder !== null) {
    bytes = await requestBackup(dataDir, output, SERVICE_TIMEOUT_MS);
  } else {
    const { client, close } = await openPgliteClient(dataDir);
    try {
      bytes = await writeBackup(await dumpPgliteDataDir(client), output);
    } finally {
      await close();
    }
  }
  const by =
    holder !== null ? `by the running service (pid ${holder})` : 'from DATA_DIR (no service running)';
  process.stdout.write(
    `Backup of ${dataDir} written ${by}: ${output} (${bytes} bytes)\n` +
      `Restore: stop mailpay, move ${dataDir} aside, then\n` +
      `  mkdir -p ${dataDir} && tar -xzf ${output} -C ${dataDir}\n`,
  );
} catch (error) {
  process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

/** The commands to run for PostgreSQL, with the connection URL stripped of its password. */
function postgresAdvice(databaseUrl: string, file: string): string {
  let target = '"$DATABASE_URL"';
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    target = `'${url.toString()}'`;
  } catch {
    // An unparsable URL is left to the shell variable.
  }
  return [
    'DATABASE_URL is set: the data is in PostgreSQL, which backs up itself. Nothing was written. Run:',
    `  pg_dump --format=custom --file=${file} ${target}`,
    'and restore into an empty database with:',
    `  pg_restore --no-owner --dbname=${target} ${file}`,
    '(the password is not shown: give it with PGPASSWORD or ~/.pgpass)',
    '',
  ].join('\n');
}
