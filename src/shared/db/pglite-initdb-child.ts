// Child process: creates a PGlite database in the folder named by argv[2], prints its own peak memory, exits.
// Run by pglite-data-dir.ts so that initdb's ~700 MB of WebAssembly memory, which is never given back
// while a process lives, belongs to a process that ends right after it.
import { PGlite } from '@electric-sql/pglite';
import { pgliteOptions } from './pglite-options.ts';

const folder = process.argv[2];
if (!folder) throw new Error('usage: pglite-initdb-child <empty folder>');
// A service killed meanwhile must not leave this running on its own: it would keep writing a folder that
// the next start removes. (initdb runs in long synchronous stretches; this is checked between them.)
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
const database = await PGlite.create(folder, pgliteOptions);
await database.close();
// maxRSS is in kilobytes. The parent reports it: it is a real, if short, peak of the machine's memory.
process.stdout.write(JSON.stringify({ peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
