// The process entry (npm start runs dist/start.js): read the configuration, start the service, stop it cleanly on SIGINT/SIGTERM.

import { startService } from './main.ts';
import { loadParseRules } from './modules/payments/notification/load-parse-rules.ts';
import { parseConfig, secretsOf } from './shared/config/config.ts';
import { describeConfigProblems } from './shared/config/config-problems.ts';
import { loadEnvFileNamedIn } from './shared/config/dotenv.ts';
import { logDestination, resolveLogFormat } from './shared/logger/log-format.ts';
import { createLogger } from './shared/logger/logger.ts';

loadEnvFileNamedIn(process.argv.slice(2));
const parsed = parseConfig(process.env);
const rules = loadParseRules(process.env.PARSE_RULES_FILE || undefined);
const problems = [...(parsed.ok ? [] : parsed.problems), ...(rules.ok ? [] : rules.problems)];
if (!parsed.ok || !rules.ok) {
  process.stderr.write(describeConfigProblems(problems));
  process.exit(1);
}

const { config } = parsed;
const onTerminal = process.stdout.isTTY === true;
const logger = createLogger({
  level: config.logLevel,
  secrets: secretsOf(config),
  destination: logDestination(resolveLogFormat(config.logFormat, onTerminal), { colorize: onTerminal }),
});

const STOP_DEADLINE_MS = 9_000;

try {
  const service = await startService({ config, rules: rules.rules, logger });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    setTimeout(() => {
      logger.error('stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  logger.fatal({ err: error }, 'mailpay failed to start');
  process.exit(1);
}
