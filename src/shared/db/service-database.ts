// The service's database: opened and logged at start, and the embedded one's backups served while it runs.
import type { RootLogger } from '../logger/logger.ts';
import { startBackupRequests } from './backup-requests.ts';
import { type Database, openDatabase } from './database.ts';

type DatabaseSettings = Parameters<typeof openDatabase>[0] & { dataDir: string };

export async function openServiceDatabase(settings: DatabaseSettings, logger: RootLogger): Promise<Database> {
  const database = await openDatabase(settings);
  if (database.creation) {
    logger.info(
      { ...database.creation, dataDir: settings.dataDir },
      'embedded database created by a short-lived initdb process',
    );
  }
  logger.info({ driver: database.driver }, 'database ready');
  return database;
}

/** `npm run backup` asks the service holding the embedded database; PostgreSQL has pg_dump. */
export function startBackups(settings: DatabaseSettings, database: Database, logger: RootLogger) {
  if (!database.dumpDataDir || settings.dataDir === 'memory://') return null;
  return startBackupRequests({
    dataDir: settings.dataDir,
    dump: database.dumpDataDir,
    logger: logger.child({ component: 'backup' }),
  });
}
