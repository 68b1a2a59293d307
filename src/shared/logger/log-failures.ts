// Failures a person can read in one line: the error's first line goes into the message, and the stack
// of an expected network error (a part of the set-up is unreachable) is kept only at debug level.

const EXPECTED_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const MAX_SUMMARY = 300;

type ErrorLike = { message?: unknown; code?: unknown; cause?: unknown; stack?: unknown };

const isErrorLike = (value: unknown): value is ErrorLike =>
  typeof value === 'object' && value !== null && typeof (value as ErrorLike).message === 'string';

/** The error and its causes, outermost first (at most 4, in case of a cycle). */
function causeChain(error: ErrorLike): ErrorLike[] {
  const chain = [error];
  for (let cause = error.cause; isErrorLike(cause) && chain.length < 4; cause = cause.cause)
    chain.push(cause);
  return chain;
}

export function isExpectedNetworkError(error: unknown): boolean {
  return (
    isErrorLike(error) && causeChain(error).some((link) => EXPECTED_NETWORK_CODES.has(String(link.code)))
  );
}

/** "first line of the error: first line of its cause", shortened. */
export function failureSummary(error: unknown): string {
  if (!isErrorLike(error)) return String(error);
  const lines = causeChain(error).map((link) => String(link.message).split('\n', 1)[0]?.trim() ?? '');
  const summary = [...new Set(lines.filter((line) => line !== ''))].join(': ');
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary;
}

/** A copy of the error (same class, same fields) whose stack is only its first line. */
function withoutFrames(error: ErrorLike): ErrorLike {
  const copy: ErrorLike = Object.assign(Object.create(Object.getPrototypeOf(error)), error);
  copy.message = error.message;
  copy.stack = String(error.stack ?? error.message).split('\n', 1)[0];
  return copy;
}

/**
 * For pino's `logMethod` hook: `logger.warn({ err }, 'imap connect failed')` becomes
 * "imap connect failed: connect ECONNREFUSED 127.0.0.1:993", without the stack unless `keepStacks`.
 */
export function withFailureSummary(args: unknown[], keepStacks: boolean): unknown[] {
  const [fields, message, ...rest] = args;
  if (typeof fields !== 'object' || fields === null || !('err' in fields)) return args;
  const { err } = fields as { err: unknown };
  if (err === undefined || err === null) return args;
  const text = typeof message === 'string' ? `${message}: ${failureSummary(err)}` : failureSummary(err);
  if (keepStacks || !isExpectedNetworkError(err) || !isErrorLike(err)) return [fields, text, ...rest];
  return [{ ...fields, err: withoutFrames(err) }, text, ...rest];
}
