// The PGlite settings shared by the service and its initdb child process.
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

export const pgliteOptions: PGliteOptions = {
  // PostgreSQL's default 128 MB of shared buffers would all end up in the process's memory (WebAssembly
  // memory never shrinks); one embedded user needs far less: same speed, about 120 MB less at peak.
  startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
};
