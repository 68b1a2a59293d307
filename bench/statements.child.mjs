// The statements benchmark's measured process, run from the build (dist/) as the service runs: opens the
// seeded database, reads and reconciles the statement file through the service's use case, and prints its
// time and peak RSS (VmHWM) as one JSON line.
import { readFileSync } from 'node:fs';
import { createStatementUseCases } from '../dist/modules/statements/create-statement-use-cases.js';
import { parseConfig } from '../dist/shared/config/config.js';
import { openDatabase } from '../dist/shared/db/database.js';
import { createLogger } from '../dist/shared/logger/logger.js';
import { systemClock } from '../dist/shared/ports.js';

const memoryMb = (field) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;

const parsed = parseConfig(process.env);
if (!parsed.ok) throw new Error(parsed.problems.join('; '));
const database = await openDatabase(parsed.config.database);
const { reconcileStatementFile } = createStatementUseCases({
  db: database.db,
  config: parsed.config,
  clock: systemClock,
  onQueued: () => {},
  logger: createLogger({ level: 'silent', secrets: [] }),
});
const bytes = readFileSync(process.argv[2] ?? '');
const baselineRssMb = memoryMb('VmRSS');
const started = performance.now();
const read = await reconcileStatementFile(bytes);
const reconcileMs = performance.now() - started;
if (!read.ok) throw new Error(`statement not read: ${read.code}`);
const { matched, missed, unconfirmed } = read.outcome.result;
await database.close();
console.log(
  JSON.stringify({
    reconcileMs,
    peakRssMb: memoryMb('VmHWM'),
    baselineRssMb,
    matched: matched.length,
    missed: missed.length,
    unconfirmed: unconfirmed.length,
  }),
);
