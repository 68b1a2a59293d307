// `npm start`'s command must run with or without a `.env`: Node 20 reads a `--env-file` flag even after the
// script's name and stops with "node: .env: not found" — so npm start passes it after `--`, to our own loader.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const start: string = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts.start;
const dir = mkdtempSync(join(tmpdir(), 'mailpay-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs npm start's exact node command with its entry replaced by a script that loads `.env` as start.ts does. */
function runStartCommand(): { status: number | null; stdout: string; stderr: string } {
  const entry = join(dir, 'entry.mjs');
  const loader = join(REPO, 'src/shared/config/dotenv.ts');
  writeFileSync(
    entry,
    `const { loadEnvFileNamedIn } = await import(${JSON.stringify(loader)});
loadEnvFileNamedIn(process.argv.slice(2));
console.log(process.env.MAILPAY_PROBE ?? 'unset');`,
  );
  const [, ...args] = start.trim().split(/\s+/);
  const replaced = args.map((arg) => (arg === 'dist/start.js' ? entry : arg));
  const tsx = import.meta.resolve('tsx');
  const result = spawnSync(process.execPath, ['--import', tsx, ...replaced], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr };
}

describe("npm start's command", () => {
  it('starts without a .env file', () => {
    expect(start).toContain('dist/start.js');
    const run = runStartCommand();
    expect(run.stderr).not.toContain('not found');
    expect(run).toMatchObject({ status: 0, stdout: 'unset' });
  });

  it('reads the .env file when there is one', () => {
    writeFileSync(join(dir, '.env'), 'MAILPAY_PROBE=from-dotenv\n');
    expect(runStartCommand()).toMatchObject({ status: 0, stdout: 'from-dotenv' });
  });
});
