// The first start on a fresh database: PGlite's initdb runs in a short-lived child process, so the service
// itself never holds initdb's memory, and a start that dies halfway leaves no half-made database behind.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/shared/db/database.ts';
import { eventually } from './support/eventually.ts';
import { childrenOf, memoryOf } from './support/process-memory.ts';
import { type ServiceProcess, spawnService } from './support/service-process.ts';
import { type Stack, startStack } from './support/stack.ts';
import { DATABASE_KINDS } from './support/test-database.ts';

/**
 * Generous: the service peaks near 250 MB from the sources (tsx) on a first start; with initdb in its own
 * process it peaked near 800 MB.
 */
const SERVICE_PEAK_BOUND_MB = 400;

let stack: Stack | undefined;
let service: ServiceProcess | undefined;
afterEach(async () => {
  service?.child.kill('SIGKILL');
  await service?.exited;
  service = undefined;
  await stack?.dispose();
  stack = undefined;
});

/** `<DATA_DIR>.initdb-<pid>` folders beside DATA_DIR. */
const initdbFoldersBeside = (dataDir: string) =>
  readdirSync(dirname(dataDir)).filter((entry) => entry.startsWith(`${basename(dataDir)}.initdb-`));

describe.each(DATABASE_KINDS)('the first start on a fresh %s database', (kind) => {
  it(`keeps the service's own peak memory under ${SERVICE_PEAK_BOUND_MB} MB`, async () => {
    stack = await startStack(kind);
    const running = spawnService(stack.env);
    service = running;
    await eventually(
      async () => (running.output().stdout.includes('mailpay started') ? true : undefined),
      90_000,
    );
    const { peakRssMb } = memoryOf(running.child.pid ?? 0);
    expect(peakRssMb).toBeLessThan(SERVICE_PEAK_BOUND_MB);

    if (kind === 'pglite') {
      const dataDir = stack.env.DATA_DIR ?? '';
      const created = running
        .output()
        .stdout.split('\n')
        .filter((line) => line.includes('embedded database created'))
        .map((line) => JSON.parse(line) as { childPeakRssMb: number });
      expect(created).toHaveLength(1);
      // The memory went to the child, which has exited, not to the service.
      expect(created[0]?.childPeakRssMb).toBeGreaterThan(peakRssMb);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      expect(initdbFoldersBeside(dataDir)).toEqual([]);
    }
  }, 120_000);
});

describe('creating the embedded database', () => {
  it('a start killed during initdb leaves DATA_DIR without a database; the next start removes the leftover and creates it', async () => {
    stack = await startStack('pglite');
    const dataDir = stack.env.DATA_DIR ?? '';
    const running = spawnService(stack.env);
    service = running;
    const servicePid = running.child.pid ?? 0;
    // The service has other children too (tsx's esbuild).
    const initdbPid = await eventually(async () => {
      const child = childrenOf(servicePid).find((pid) => commandLineOf(pid).includes('pglite-initdb-child'));
      return child !== undefined && initdbFoldersBeside(dataDir).length > 0 ? child : undefined;
    }, 60_000);
    running.child.kill('SIGKILL');
    process.kill(initdbPid, 'SIGKILL');
    await running.exited;
    service = undefined;

    expect(initdbFoldersBeside(dataDir)).toEqual([`${basename(dataDir)}.initdb-${servicePid}`]);
    expect(readdirSync(dataDir)).toEqual([]);

    const database = await openDatabase({ dataDir });
    try {
      expect(database.creation?.childPeakRssMb).toBeGreaterThan(0);
      expect(await database.rows(sql`select count(*)::int as orders from orders`)).toEqual([{ orders: 0 }]);
    } finally {
      await database.close();
    }
    expect(initdbFoldersBeside(dataDir)).toEqual([]);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
  }, 120_000);

  it("removes a dead start's half-made folder, leaves a live one's alone, and never opens either", async () => {
    const parent = await mkdtemp(join(tmpdir(), 'mailpay-leftovers-'));
    const dataDir = join(parent, 'data');
    const deadPid = await exitedProcessPid();
    const dead = `${dataDir}.initdb-${deadPid}`;
    const live = `${dataDir}.initdb-${process.ppid}`; // the test runner: alive
    for (const folder of [dead, live]) {
      // Half-made: PostgreSQL's mark of a data folder, and nothing else.
      mkdirSync(folder);
      writeFileSync(join(folder, 'PG_VERSION'), '18\n');
    }
    try {
      const database = await openDatabase({ dataDir });
      try {
        expect(database.creation?.childPeakRssMb).toBeGreaterThan(0);
        expect(await database.rows(sql`select count(*)::int as customers from customers`)).toEqual([
          { customers: 0 },
        ]);
      } finally {
        await database.close();
      }
      expect(existsSync(dead)).toBe(false);
      expect(existsSync(live)).toBe(true);
      expect(existsSync(join(dataDir, 'base'))).toBe(true);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  }, 120_000);

  it('refuses a DATA_DIR that holds files but no database, and changes nothing in it', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mailpay-not-a-database-'));
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(/holds files but no database/);
      expect(readdirSync(dataDir)).toEqual(['notes.txt']);
      expect(initdbFoldersBeside(dataDir)).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

const commandLineOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return ''; // it exited meanwhile
  }
};

/** The pid of a process that has already exited. */
async function exitedProcessPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 0;
}
