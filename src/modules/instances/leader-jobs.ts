// Scheduled jobs (expiry sweep, alarm checks, health report) run once per schedule across instances: every
// instance keeps its timers, but a run does its work only on the mailbox leader — there is one at a time,
// and the report reads the mailbox as the leader sees it — and inside a transaction-scoped advisory lock per
// job, so the few seconds in which a deposed leader has not yet noticed cannot run a job twice at once.
// The lock, not a `job_runs` row per slot: no table to fill and prune every ten seconds, and a run that
// follows a finished one is harmless (each job writes what it did — expired orders, raised alarms).
import { sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/database.ts';
import { queryRows } from '../../shared/db/database.ts';

/** The first key of `pg_try_advisory_xact_lock(int, int)`: this service's jobs; the second names the job. */
const JOB_LOCK_SPACE = 741_120;
const JOB_KEYS = { expiry: 1, alarms: 2, 'health-report': 3 } as const;
export type JobName = keyof typeof JOB_KEYS;

export function createLeaderJobs(deps: { database: Database; isLeader: () => boolean }) {
  const { database } = deps;
  /** `job`, wrapped: does nothing (resolves `skipped`) unless this instance leads and no other runs it. */
  return function leaderOnly<T, S>(name: JobName, job: () => Promise<T>, skipped: S): () => Promise<T | S> {
    return async () => {
      if (!deps.isLeader()) return skipped;
      // One process, one connection: nothing to exclude, and a held transaction would block the job's own.
      if (database.driver === 'pglite') return job();
      return database.db.transaction(async (tx) => {
        const [row] = await queryRows<{ got: boolean }>(
          tx as unknown as Database['db'],
          sql`select pg_try_advisory_xact_lock(${JOB_LOCK_SPACE}, ${JOB_KEYS[name]}) as got`,
        );
        return row?.got === true && deps.isLeader() ? job() : skipped;
      });
    };
  };
}

export type LeaderOnly = ReturnType<typeof createLeaderJobs>;
