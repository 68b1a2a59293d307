// Which database errors go away by themselves (connection lost, server restarting) and deserve a retry.

const TRANSIENT_CODES = new Set([
  // Node sockets and postgres.js connection errors.
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  // PostgreSQL: serialization failure, deadlock, query cancelled, shutting down, cannot connect now.
  '40001',
  '40P01',
  '57014',
  '57P01',
  '57P02',
  '57P03',
]);
/** Connection exceptions (08…) and insufficient resources (53…). */
const TRANSIENT_CLASSES = ['08', '53'];

/** True when `error` (or one of its causes) says the database was unreachable or busy, not that the work was wrong. */
export function isTransientDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (TRANSIENT_CODES.has(code)) return true;
      if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_CLASSES.includes(code.slice(0, 2))) return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
