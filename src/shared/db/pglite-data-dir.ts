// Makes sure an embedded PGlite DATA_DIR holds a whole database before the service opens it.
//
// PGlite runs initdb inside the calling process, and the WebAssembly memory it grows for it (~700 MB) is never
// given back while that process lives. So a fresh DATA_DIR is initialised by a short-lived child process,
// into a folder beside DATA_DIR that is renamed into place only once complete: a start that dies halfway
// leaves no half-made database that a later start would open.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { isProcessAlive } from './process-alive.ts';

/** What PGlite (like PostgreSQL) takes as the sign of an initialised data folder. */
const DATABASE_MARK = 'PG_VERSION';
/** `<DATA_DIR>.initdb-<pid>`: the folder a start initialises into, named after the process doing it. */
const TEMP_INFIX = '.initdb-';

const runFile = promisify(execFile);

/** What creating a fresh database cost: the child's wall time and its own peak resident memory. */
export interface DatabaseCreation {
  seconds: number;
  childPeakRssMb: number;
}

/** Creates the database when DATA_DIR has none yet (and says what that cost); null when it had one. */
export async function prepareDataDir(dataDir: string): Promise<DatabaseCreation | null> {
  const target = resolve(dataDir);
  if (existsSync(join(target, DATABASE_MARK))) return null;
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(
      `DATA_DIR ${target} holds files but no database; point DATA_DIR at a new or empty folder`,
    );
  }
  const parent = dirname(target);
  const temp = join(parent, `${basename(target)}${TEMP_INFIX}${process.pid}`);
  try {
    mkdirSync(parent, { recursive: true });
    removeAbandonedTemps(parent, basename(target));
    mkdirSync(temp);
    const creation = await initialiseInChild(temp);
    // Atomic, and replaces an empty DATA_DIR folder (rename(2) allows that for directories).
    renameSync(temp, target);
    return creation;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    // Another process starting on the same fresh DATA_DIR got there first.
    if (existsSync(join(target, DATABASE_MARK))) return null;
    throw new Error(
      `cannot create the embedded database in DATA_DIR ${target}: ${firstLine(error)}. It is made in a folder ` +
        'beside DATA_DIR and then renamed, so DATA_DIR must not be a mount point and its parent folder must be ' +
        'writable (with a volume, point DATA_DIR at a folder inside it)',
      { cause: error },
    );
  }
}

/** Folders left by starts that died during initdb; a live process's folder is left alone. */
function removeAbandonedTemps(parent: string, name: string): void {
  for (const entry of readdirSync(parent)) {
    if (!entry.startsWith(`${name}${TEMP_INFIX}`)) continue;
    const pid = Number(entry.slice(name.length + TEMP_INFIX.length));
    if (!Number.isInteger(pid)) continue;
    // Our own pid too: in a container every start is pid 1.
    if (pid === process.pid || !isProcessAlive(pid))
      rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/**
 * `--liftoff-only` keeps V8 from also compiling PGlite's WebAssembly with its optimising tier: initdb runs
 * once, so that compilation only costs time and about 160 MB more at the child's peak.
 */
const CHILD_NODE_FLAGS = ['--liftoff-only'];

async function initialiseInChild(folder: string): Promise<DatabaseCreation> {
  const here = import.meta.url;
  // From dist/ the child is compiled JavaScript; from the sources (tests, tsx) it needs tsx's loader.
  const child = fileURLToPath(new URL(`./pglite-initdb-child${extname(fileURLToPath(here))}`, here));
  const loader = child.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
  const started = performance.now();
  try {
    // Nothing of the service's environment (secrets included) is needed there.
    const { stdout } = await runFile(process.execPath, [...CHILD_NODE_FLAGS, ...loader, child, folder], {
      env: {},
    });
    const { peakRssMb } = JSON.parse(stdout) as { peakRssMb: number };
    return { seconds: (performance.now() - started) / 1000, childPeakRssMb: peakRssMb };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new Error(`initdb failed${stderr ? `: ${stderr.split('\n').at(-1)}` : ''}`, { cause: error });
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
