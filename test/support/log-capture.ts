// The service's real logger (redaction, scrubbing, failure summaries), writing its JSON records into an array.
import { createLogger, type RootLogger } from '../../src/shared/logger/logger.ts';

export interface LogRecord {
  level: number;
  msg: string;
  component?: string;
  [field: string]: unknown;
}

export function captureLogs(secrets: ReadonlyArray<string | undefined> = []): {
  logger: RootLogger;
  records: LogRecord[];
} {
  const records: LogRecord[] = [];
  const logger = createLogger({
    level: 'info',
    secrets,
    destination: { write: (line: string) => void records.push(JSON.parse(line) as LogRecord) },
  });
  return { logger, records };
}
