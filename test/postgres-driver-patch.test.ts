// postgres.js 3.4.9 can crash the process when a connection closes while a small write waits for the next
// tick (`nextWrite` on a null socket, from a setImmediate no caller can catch: porsager/postgres#1154, #1208);
// it happened here when the database-outage test cut PostgreSQL away. `patches/postgres+3.4.9.patch`, applied
// by `npm ci`'s postinstall (patch-package), guards it. This checks the installed driver is the patched one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('the installed postgres.js', () => {
  it('settles a write left for a closed socket instead of throwing from a timer', () => {
    const source = readFileSync(
      fileURLToPath(new URL('connection.js', import.meta.resolve('postgres'))),
      'utf8',
    );
    const nextWrite = source.slice(source.indexOf('function nextWrite(fn) {'));
    const body = nextWrite.slice(0, nextWrite.indexOf('socket.write(chunk, fn)'));
    expect(body).toContain('if (!socket) {');
    expect(body).toContain("error(Errors.connection('CONNECTION_CLOSED', options, socket))");
  });
});
