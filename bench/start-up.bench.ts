// What `npm start` spends before the service runs: the old prestart (`npm run build`, tsc every time) against
// the new one (`npm run prestart`: build only when dist/ is stale) with nothing changed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { percentile } from './stats.ts';

const REPO = fileURLToPath(new URL('../', import.meta.url));

export interface CommandCost {
  /** Medians over the runs: wall time, and CPU time (user + system) of the command and its children. */
  wallSeconds: number;
  cpuSeconds: number;
  runs: number;
}

export async function benchPrestart(options: { runs: number }) {
  return {
    buildEveryTime: await measure(['run', '-s', 'build'], options.runs),
    skipWhenFresh: await measure(['run', '-s', 'prestart'], options.runs),
  };
}

async function measure(npmArgs: string[], runs: number): Promise<CommandCost> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run++) {
    const figures = await timed(npmArgs);
    wall.push(figures.wallSeconds);
    cpu.push(figures.cpuSeconds);
  }
  return { wallSeconds: percentile(wall, 50), cpuSeconds: percentile(cpu, 50), runs };
}

/** CPU time from /usr/bin/time-like accounting: bash's `times` after the command, children included. */
function timed(npmArgs: string[]): Promise<{ wallSeconds: number; cpuSeconds: number }> {
  const startedAt = performance.now();
  const child = spawn('bash', ['-c', 'npm "$@" >/dev/null && times', 'bash', ...npmArgs], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`npm ${npmArgs.join(' ')} exited with ${code}`));
      // `times` prints the shell's user/system time, then its children's: "0m1.234s 0m0.056s".
      const childrenLine = stdout.trim().split('\n').at(-1) ?? '';
      const cpuSeconds = [...childrenLine.matchAll(/(\d+)m([\d.]+)s/g)].reduce(
        (sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds),
        0,
      );
      resolve({ wallSeconds: (performance.now() - startedAt) / 1000, cpuSeconds });
    }),
  );
}
