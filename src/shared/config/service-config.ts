// The service section of the configuration: time zone, HTTP listener, logging and database.
import { z } from 'zod';
import { int, oneOf, text } from './config-values.ts';

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone such as Asia/Shanghai');
/** An IPv4/IPv6 address or a host name to bind, never a URL. */
const bindHost = z
  .string()
  .regex(/^(?:[\w.-]+|\[?[0-9a-fA-F:.]+\]?)$/, 'expected an address to bind, such as 127.0.0.1 or 0.0.0.0');

export const serviceEnv = z.object({
  TZ: timeZone.default('Asia/Shanghai'),
  HTTP_PORT: int(0, 65535, 'a port number').default(8080),
  HTTP_HOST: bindHost.default('127.0.0.1'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: oneOf(['auto', 'pretty', 'json']).default('auto'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
    .optional(),
  DATA_DIR: text('a folder for the embedded database').default('./data'),
});

type ServiceEnv = z.infer<typeof serviceEnv>;

/** The service's settings sit at the top of the configuration, beside the sections. */
export type ServiceConfig = {
  timeZone: string;
  httpPort: number;
  httpHost: string;
  logLevel: ServiceEnv['LOG_LEVEL'];
  logFormat: ServiceEnv['LOG_FORMAT'];
  database: { url: string | undefined; dataDir: string };
};

export function toServiceConfig(env: ServiceEnv): ServiceConfig {
  return {
    timeZone: env.TZ,
    httpPort: env.HTTP_PORT,
    httpHost: env.HTTP_HOST,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    database: { url: env.DATABASE_URL, dataDir: env.DATA_DIR },
  };
}
