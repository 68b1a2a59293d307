// The one pino root logger: JSON lines, secrets redacted in fields and scrubbed out of error messages.
import pino from 'pino';
import { withFailureSummary } from './log-failures.ts';

export type RootLogger = pino.Logger;

const REDACT_PATHS = [
  'token',
  'password',
  'pass',
  'auth.pass',
  'config.telegram.token',
  'config.imap.password',
  'config.database.url',
  '*.token',
  '*.password',
  '*.pass',
  'databaseUrl',
];

/** Replaces every known secret, and any URL password, inside a string. */
export function createScrubber(secrets: ReadonlyArray<string | undefined>) {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  return (text: string): string => {
    let scrubbed = text.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]+@/g, '$1[REDACTED]@');
    for (const secret of known) scrubbed = scrubbed.split(secret).join('[REDACTED]');
    return scrubbed;
  };
}

export function createLogger(options: {
  level: string;
  secrets: ReadonlyArray<string | undefined>;
  destination?: pino.DestinationStream;
}): RootLogger {
  const scrub = createScrubber(options.secrets);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: {
        err: (error: unknown) => {
          const serialized = pino.stdSerializers.err(error as Error);
          return JSON.parse(scrub(JSON.stringify(serialized)));
        },
      },
      hooks: {
        // Messages can embed secrets too (a URL in an error text).
        logMethod(args, method) {
          const summarised = withFailureSummary(args, this.isLevelEnabled('debug'));
          method.apply(
            this,
            summarised.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg)) as typeof args,
          );
        },
      },
    },
    options.destination,
  );
}
