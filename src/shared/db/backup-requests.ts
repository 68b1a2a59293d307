// Backups of the embedded database while the service runs. PGlite is one connection inside the service's
// process, so only the service can take a consistent copy: `npm run backup` drops a request file into
// DATA_DIR, the service writes the tarball and answers with a result file. Files, not a network port: only
// whoever may write DATA_DIR (and so could read the database anyway) can ask, and it works with HTTP off.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Logger } from '../ports.ts';

const REQUEST = /^backup-request-([0-9a-f]{16})\.json$/;
const requestFile = (dataDir: string, id: string) => join(dataDir, `backup-request-${id}.json`);
const resultFile = (dataDir: string, id: string) => join(dataDir, `backup-result-${id}.json`);

type BackupResult = { ok: true; bytes: number } | { ok: false; error: string };

/**
 * Writes the tarball to `path`: never over an existing file, readable by its owner only, and complete or
 * absent (written aside, then renamed).
 */
export async function writeBackup(tarball: Blob, path: string): Promise<number> {
  if (existsSync(path)) throw new Error(`${path} already exists`);
  const bytes = Buffer.from(await tarball.arrayBuffer());
  const partial = `${path}.partial`;
  const file = await open(partial, 'wx', 0o600);
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
  renameSync(partial, path);
  return bytes.length;
}

/** The service's side: answers each request found in DATA_DIR, one at a time. */
export function startBackupRequests(deps: {
  dataDir: string;
  dump: () => Promise<Blob>;
  logger: Logger;
  intervalMs?: number;
}) {
  let running: Promise<void> = Promise.resolve();
  let busy = false;

  async function answer(id: string) {
    const request = requestFile(deps.dataDir, id);
    let result: BackupResult;
    try {
      const path = outputPathOf(readFileSync(request, 'utf8'));
      rmSync(request, { force: true }); // before the dump, so the copy does not carry it
      const started = Date.now();
      const bytes = await writeBackup(await deps.dump(), path);
      deps.logger.info({ path, bytes, ms: Date.now() - started }, 'backup written');
      result = { ok: true, bytes };
    } catch (error) {
      rmSync(request, { force: true });
      deps.logger.warn({ err: error }, 'backup failed');
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const partial = `${resultFile(deps.dataDir, id)}.partial`;
    writeFileSync(partial, JSON.stringify(result), { mode: 0o600 });
    renameSync(partial, resultFile(deps.dataDir, id));
  }

  const timer = setInterval(() => {
    if (busy) return;
    const ids = readdirSync(deps.dataDir).flatMap((name) => REQUEST.exec(name)?.[1] ?? []);
    if (ids.length === 0) return;
    busy = true;
    running = (async () => {
      for (const id of ids) await answer(id);
    })().finally(() => {
      busy = false;
    });
  }, deps.intervalMs ?? 1_000);

  return {
    /** Stops looking for requests; resolves once a backup being written is finished. */
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The script's side: asks the running service for a backup to `path`; resolves with its size in bytes. */
export async function requestBackup(dataDir: string, path: string, timeoutMs: number): Promise<number> {
  const id = randomBytes(8).toString('hex');
  const partial = join(dataDir, `.backup-request-${id}.partial`);
  writeFileSync(partial, JSON.stringify({ path }), { mode: 0o600 });
  renameSync(partial, requestFile(dataDir, id));
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(resultFile(dataDir, id))) {
    if (Date.now() > deadline) {
      rmSync(requestFile(dataDir, id), { force: true });
      throw new Error(`the running service did not answer within ${Math.round(timeoutMs / 1000)} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const result = JSON.parse(readFileSync(resultFile(dataDir, id), 'utf8')) as BackupResult;
  rmSync(resultFile(dataDir, id), { force: true });
  if (!result.ok) throw new Error(`the running service could not write the backup: ${result.error}`);
  return result.bytes;
}

/** A request names where the tarball goes: an absolute path, nothing else. */
function outputPathOf(text: string): string {
  const { path } = JSON.parse(text) as { path?: unknown };
  if (typeof path !== 'string' || !isAbsolute(path) || path.includes('\0') || path.length > 4096) {
    throw new Error('a backup request must name an absolute file path');
  }
  return path;
}
