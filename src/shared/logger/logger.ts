// The one pino root logger: JSON lines, secret fields redacted, and every string of every record scrubbed.
import pino from 'pino';
import { withFailureSummary } from './log-failures.ts';
import { createScrubber, type Scrub, scrubDeep } from './scrub-secrets.ts';

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

export function createLogger(options: {
  level: string;
  secrets: ReadonlyArray<string | undefined>;
  destination?: pino.DestinationStream;
}): RootLogger {
  const target = options.destination ?? pino.destination(1);
  return pino(
    {
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, withFailureSummary(args, this.isLevelEnabled('debug')) as typeof args);
        },
      },
    },
    scrubbingStream(target, createScrubber(options.secrets)),
  );
}

/**
 * Secrets hide inside strings anywhere in a record (a token in the URL of an error message, its stack, a
 * child binding, a nested field): each finished line is scrubbed whole, string by string, before it is written.
 */
function scrubbingStream(target: pino.DestinationStream, scrub: Scrub): pino.DestinationStream {
  return {
    write(line: string) {
      let scrubbed: string;
      try {
        scrubbed = `${JSON.stringify(scrubDeep(JSON.parse(line), scrub))}\n`;
      } catch {
        scrubbed = scrub(line);
      }
      target.write(scrubbed);
    },
  };
}
