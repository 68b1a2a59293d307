// What a failed mailbox connection means for the operator, read from the IMAP client's error: a refused
// login, a missing folder, a TLS/port mix-up, an untrusted certificate, or a plain outage.
import { assertNever } from '../../../shared/result.ts';

export type MailboxProblemKind =
  | 'login_refused'
  | 'mailbox_missing'
  | 'tls_mismatch'
  | 'certificate_rejected'
  | 'unreachable';

export interface MailboxProblem {
  kind: MailboxProblemKind;
  /** The server's (or the TLS layer's) own words: one line, clipped. Hostile text, escape it before showing. */
  detail: string;
}

/** Problems only the operator can fix: the admins are told at once, not after an outage threshold. */
export const needsOperator = (problem: MailboxProblem): boolean => problem.kind !== 'unreachable';

/**
 * Problems whose every retry logs in (and fails, or finds no folder): retried slowly, since providers
 * lock or throttle accounts that keep failing logins (QQ: "login frequency limited").
 */
export const retriesLogIn = (problem: MailboxProblem): boolean =>
  problem.kind === 'login_refused' || problem.kind === 'mailbox_missing';

// RFC 5530 response codes.
const REFUSED_LOGIN_CODES = new Set([
  'AUTHENTICATIONFAILED',
  'AUTHORIZATIONFAILED',
  'EXPIRED',
  'CONTACTADMIN',
]);
const TEMPORARY_CODES = new Set(['UNAVAILABLE', 'INUSE', 'LIMIT', 'SERVERBUG']);
const CERTIFICATE_CODES =
  /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(VERIFY|GET)_|ERR_TLS_CERT_ALTNAME_INVALID)/;
// OpenSSL's words when the other end does not speak TLS (a plaintext port), and Node's when it hangs up mid-handshake.
const TLS_HANDSHAKE_TEXT =
  /wrong version number|packet length too long|unknown protocol|ssl routines|before secure TLS connection was established/i;
const MAX_DETAIL = 200;

type Fields = Record<string, unknown>;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The server's status code: imapflow's field, else the `[CODE]` of the tagged response. */
function responseCode(error: Fields): string {
  const field = text(error.serverResponseCode);
  if (field) return field.toUpperCase();
  return /\[([A-Za-z-]+)/.exec(text(error.response))?.[1]?.toUpperCase() ?? '';
}

function detailOf(error: Fields): string {
  const words = text(error.responseText) || text(error.response) || text(error.message) || String(error);
  // One line of printable text: no control characters from a server reach a log line or a chat.
  const line = (words.split(/[\r\n]/, 1)[0] ?? '').replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** Classifies why connecting (or selecting the folder) failed; `secure` is whether implicit TLS was used. */
export function classifyMailboxFailure(error: unknown, connection: { secure: boolean }): MailboxProblem {
  const fields: Fields = typeof error === 'object' && error !== null ? (error as Fields) : { message: error };
  const code = responseCode(fields);
  const errorCode = text(fields.code);
  const problem = (kind: MailboxProblemKind): MailboxProblem => ({ kind, detail: detailOf(fields) });
  const serverRefused = fields.responseStatus === 'NO' || fields.responseStatus === 'BAD';

  if (TEMPORARY_CODES.has(code)) return problem('unreachable');
  if (fields.mailboxMissing === true || code === 'NONEXISTENT') return problem('mailbox_missing');
  if (code === 'PRIVACYREQUIRED') return problem('tls_mismatch');
  if (REFUSED_LOGIN_CODES.has(code) || (fields.authenticationFailed === true && serverRefused)) {
    return problem('login_refused');
  }
  if (CERTIFICATE_CODES.test(errorCode)) return problem('certificate_rejected');
  if (
    errorCode.startsWith('ERR_SSL_') ||
    (connection.secure && TLS_HANDSHAKE_TEXT.test(text(fields.message)))
  ) {
    return problem('tls_mismatch');
  }
  // A plaintext client at an implicit-TLS port waits for a greeting that never comes (the server waits for TLS).
  if (!connection.secure && errorCode === 'GREETING_TIMEOUT') return problem('tls_mismatch');
  return problem('unreachable');
}

/** The log line's words: what went wrong and what to change. */
export function describeProblem(problem: MailboxProblem, mailbox: string): string {
  switch (problem.kind) {
    case 'login_refused':
      return 'mailbox login refused by the server; check IMAP_USER and IMAP_PASSWORD (QQ and 163/126 mail need the authorisation code 授权码, not the login password)';
    case 'mailbox_missing':
      return `mailbox folder ${JSON.stringify(mailbox)} (IMAP_MAILBOX) does not exist on the server`;
    case 'tls_mismatch':
      return 'TLS handshake with the mailbox failed: wrong IMAP_PORT or IMAP_SECURE (993 = IMAP_SECURE=true, 143 = IMAP_SECURE=false)';
    case 'certificate_rejected':
      return "the mailbox server's TLS certificate is not trusted; check IMAP_HOST is the provider's IMAP host name";
    case 'unreachable':
      return 'imap connect failed';
    default:
      return assertNever(problem.kind);
  }
}
