// `npm start`'s prestart (scripts/build-if-stale.mjs): builds when dist/ is older than its inputs, else skips.
// Run in a copy of the project's shape whose build only counts how often it ran.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../scripts/build-if-stale.mjs', import.meta.url));
const run = promisify(execFile);

let project: string;
beforeEach(async () => {
  project = await mkdtemp(join(tmpdir(), 'mailpay-build-stamp-'));
  mkdirSync(join(project, 'scripts'));
  copyFileSync(SCRIPT, join(project, 'scripts', 'build-if-stale.mjs'));
  mkdirSync(join(project, 'src', 'adapters'), { recursive: true });
  writeFileSync(join(project, 'src', 'main.ts'), 'export {};\n');
  writeFileSync(join(project, 'src', 'adapters', 'old.ts'), 'export {};\n');
  for (const file of ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json']) {
    writeFileSync(join(project, file), '{}\n');
  }
  // The "build": appends a line to dist/builds, or fails while a file named FAIL exists.
  const build =
    "node -e \"const fs=require('fs');if(fs.existsSync('FAIL'))process.exit(3);fs.mkdirSync('dist',{recursive:true});fs.appendFileSync('dist/builds','x\\n')\"";
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'p', type: 'module', scripts: { build } }),
  );
});
afterEach(async () => {
  await rm(project, { recursive: true, force: true });
});

const builds = () => {
  const log = join(project, 'dist', 'builds');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
};
const prestart = () =>
  run(process.execPath, [join(project, 'scripts', 'build-if-stale.mjs')], { cwd: tmpdir() });
/** As if `path` had been edited after the last build, without waiting for the clock: both moved into the past. */
const editedAfterLastBuild = (path: string) => {
  const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
  utimesSync(join(project, 'dist', '.build-stamp'), at(60), at(60));
  utimesSync(join(project, path), at(30), at(30));
};

describe('the prestart build check', () => {
  it('builds when there is no dist/, then skips while nothing it is built from has changed', async () => {
    await prestart();
    expect(builds()).toBe(1);
    const { stdout } = await prestart();
    expect(stdout).toContain('dist/ is up to date');
    expect(builds()).toBe(1);
  });

  it.each([
    'src/main.ts',
    'src/adapters/old.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'package.json',
    'package-lock.json',
  ])('builds again when %s is newer than the last build', async (input) => {
    await prestart();
    editedAfterLastBuild(input);
    await prestart();
    expect(builds()).toBe(2);
    await prestart();
    expect(builds()).toBe(2);
  });

  it('builds again when a source file is deleted', async () => {
    await prestart();
    // Past the build's start by a clear margin, so the folder's new modification time is later.
    await new Promise((resolve) => setTimeout(resolve, 50));
    rmSync(join(project, 'src', 'adapters', 'old.ts'));
    await prestart();
    expect(builds()).toBe(2);
  });

  it('fails as the build fails and tries again on the next start', async () => {
    await prestart();
    editedAfterLastBuild('src/main.ts');
    writeFileSync(join(project, 'FAIL'), '');
    await expect(prestart()).rejects.toMatchObject({ code: 3 });
    rmSync(join(project, 'FAIL'));
    await prestart();
    expect(builds()).toBe(2);
    await prestart();
    expect(builds()).toBe(2);
  });
});
