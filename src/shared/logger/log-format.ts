// Where log lines go and how they look: readable lines for a person at a terminal, JSON for machines.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'auto' | 'pretty' | 'json';

/** `auto` is pretty on a terminal and JSON when stdout is a pipe or a file (a log collector). */
export function resolveLogFormat(format: LogFormat, stdoutIsTty: boolean): 'pretty' | 'json' {
  if (format === 'auto') return stdoutIsTty ? 'pretty' : 'json';
  return format;
}

/** The stream for pino: undefined means pino's own JSON to stdout. Redaction happens before either. */
export function logDestination(
  format: 'pretty' | 'json',
  options: { colorize: boolean; destination?: DestinationStream },
): DestinationStream | undefined {
  if (format === 'json') return options.destination;
  return pretty({
    colorize: options.colorize,
    sync: true,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname',
    ...(options.destination ? { destination: options.destination } : {}),
  });
}
