// Reads the `.env` file named by `--env-file=PATH` (as `npm start` passes it) into process.env; variables
// already set in the environment win. Without the flag no file is read, so tests and tools never pick one up.
import { existsSync } from 'node:fs';

export function loadEnvFileNamedIn(argv: readonly string[]): void {
  const path = argv.find((arg) => arg.startsWith('--env-file='))?.slice('--env-file='.length);
  if (path && existsSync(path)) process.loadEnvFile(path);
}
