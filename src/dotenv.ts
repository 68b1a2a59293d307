// Reads `.env` into process.env when present; variables already set in the environment win.
import { existsSync } from 'node:fs';

export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
