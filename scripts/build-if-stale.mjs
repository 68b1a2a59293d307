// `npm start`'s prestart: runs `npm run build` only when dist/ is older than what it is built from.
// tsc takes 7–15 s even with nothing to do (incremental mode still loads the whole program); comparing
// modification times takes milliseconds. Plain JavaScript, since it must run before anything is compiled.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What the build reads. package.json's "type" decides the emitted module format. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'];
const STAMP = join(root, 'dist', '.build-stamp');

/** Newest modification time under `path`; folders count too, so a deleted or renamed file shows. */
function newestMtimeMs(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtimeMs(join(path, entry))),
    stat.mtimeMs,
  );
}

const builtAt = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? -1;
const newestInput = Math.max(...INPUTS.map((input) => newestMtimeMs(join(root, input))));
if (builtAt >= newestInput) {
  console.log('dist/ is up to date; not rebuilding');
} else {
  // Stamped with the time the build began: an edit made while it runs makes the next start rebuild.
  const startedAt = new Date();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(STAMP, "the build that wrote dist/ began at this file's modification time\n");
  utimesSync(STAMP, startedAt, startedAt);
}
