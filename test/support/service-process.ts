// Runs the service as a separate OS process with `npm start`'s command, for signal, crash and multi-process tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';

export interface ServiceProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** All a child inherits from the test runner; everything else is what the test passes. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR'];

/**
 * `entry` is what runs: the TypeScript sources through tsx (tests), or the compiled `dist/start.js` that
 * `npm start` runs (benchmarks; build it first), less the `npm start` flags named in `leaveOut`. `nodeArgs`
 * go before it (e.g. `--cpu-prof`); `script` runs another entry point of the sources (`backup`: `npm run
 * backup`'s), with `args` after it. The child's environment is `env` and nothing of the operator's: no
 * variable of the runner's and no `.env` file.
 */
export function spawnService(
  env: Record<string, string>,
  options: {
    entry?: 'source' | 'dist';
    script?: 'start' | 'backup';
    args?: string[];
    nodeArgs?: string[];
    leaveOut?: string[];
    cwd?: string;
  } = {},
): ServiceProcess {
  const entry =
    options.entry === 'dist'
      ? npmStartArgs().filter((arg) => !options.leaveOut?.includes(arg))
      : ['--import', import.meta.resolve('tsx'), join(REPO, `src/${options.script ?? 'start'}.ts`)];
  const inherited = INHERITED.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : []));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...entry, ...(options.args ?? [])], {
    cwd: options.cwd ?? REPO,
    env: { ...Object.fromEntries(inherited), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  // A test or benchmark that dies halfway must not leave a service running on its own.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    }),
  );
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** The node flags of `npm start` (before its entry): a benchmark's own child process runs as the service does. */
export function npmStartNodeFlags(): string[] {
  const args = npmStartArgs();
  return args.slice(
    0,
    args.findIndex((arg) => arg.endsWith('.js')),
  );
}

/**
 * The node arguments of `npm start` (`node ARGS`), read from package.json so benchmarks run exactly that —
 * less its `--env-file`, so no `.env` is read, and with the entry made absolute.
 */
function npmStartArgs(): string[] {
  const start: string = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).scripts.start;
  const [command, ...args] = start.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`npm start is not a plain node command: ${start}`);
  return args
    .filter((arg) => arg !== '--' && !arg.startsWith('--env-file'))
    .map((arg) => (arg.endsWith('.js') ? join(REPO, arg) : arg));
}

/**
 * Polls `probe` while `service` runs, as `eventually` does, but fails at once when the service exits, and on a
 * time-out names what the service last logged: a wait that fails in CI then says why.
 */
export async function eventuallyWhileRunning<T>(
  service: ServiceProcess,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  let exitCode: number | null | 'running' = 'running';
  void service.exited.then((code) => {
    exitCode = code;
  });
  try {
    return await eventually(async () => {
      const value = await probe();
      if (value === undefined && exitCode !== 'running') throw new Error(`the service exited (${exitCode})`);
      return value;
    }, timeoutMs);
  } catch (error) {
    const { stdout, stderr } = service.output();
    const tail = (text: string) => text.split('\n').slice(-30).join('\n');
    throw new Error(`${(error as Error).message}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`);
  }
}

/** What the service logged of each message it processed, from its JSON log lines, in order. */
export function processedMessages(stdout: string): Array<{ uid: number; outcome: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.includes('"msg":"messages processed"'))
    .flatMap((line) => (JSON.parse(line) as { messages: Array<{ uid: number; outcome: string }> }).messages);
}

/** GET /healthz; undefined while nothing answers. */
export async function fetchHealth(
  port: string | number,
): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  } catch {
    return undefined;
  }
}
