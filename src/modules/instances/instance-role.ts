// What this instance is among several on one database: a contender for the mailbox leadership on
// PostgreSQL (the single process on PGlite), and the guard that runs scheduled jobs once across instances.
import type { Database } from '../../shared/db/database.ts';
import type { RootLogger } from '../../shared/logger/logger.ts';
import { createLeaderJobs } from './leader-jobs.ts';
import { createLeadership, singleLeadership } from './mailbox-leadership.ts';

export function instanceRoleOf(url: string | undefined, database: Database, logger: RootLogger) {
  const leadership = url
    ? createLeadership({ url, logger: logger.child({ component: 'leadership' }) })
    : singleLeadership();
  return { leadership, leaderOnly: createLeaderJobs({ database, isLeader: leadership.isLeader }) };
}
