// One process at a time on an embedded database: PGlite has no lock of its own, and two processes on one
// DATA_DIR corrupt it. The holder's pid and the folder's real path are kept in DATA_DIR/mailpay.pid; the file
// is stale when that process is gone, or when it names another folder (a backup restored elsewhere).
import { readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from './process-alive.ts';

const PID_FILE = 'mailpay.pid';

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `DATA_DIR ${dataDir} is in use by process ${pid} (another mailpay, or a backup). Stop it first; if no such process is mailpay, delete ${join(dataDir, PID_FILE)}.`,
    );
  }
}

/** The live process holding the data folder, other than this one; null when none does. */
export function dataDirHolder(dataDir: string): number | null {
  const holder = readHolder(join(dataDir, PID_FILE));
  if (!holder || holder.pid === process.pid || holder.path !== realpathSync(dataDir)) return null;
  return isProcessAlive(holder.pid) ? holder.pid : null;
}

/** Takes the data folder for this process, or throws `DataDirInUseError`; `release` gives it back. */
export function claimDataDir(dataDir: string): { release(): void } {
  const file = join(dataDir, PID_FILE);
  for (let attempt = 0; ; attempt++) {
    const holder = dataDirHolder(dataDir);
    if (holder !== null) throw new DataDirInUseError(dataDir, holder);
    try {
      // Exclusive create: of two processes starting at once, one wins; the other sees its pid next round.
      writeFileSync(file, `${process.pid}\n${realpathSync(dataDir)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
      if (dataDirHolder(dataDir) === null) rmSync(file, { force: true }); // stale, or our own from before
    }
  }
  return {
    release() {
      if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

function readHolder(file: string): { pid: number; path: string } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const [pidText = '', path = ''] = text.split('\n');
  const pid = Number(pidText);
  return Number.isSafeInteger(pid) && pid > 0 ? { pid, path } : null;
}
