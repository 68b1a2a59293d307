// Which instance watches the mailbox: the one holding a PostgreSQL session advisory lock. The lock lives on a
// connection of its own, outside the pool — a pooled connection is handed to other queries and recycled,
// and a session lock goes with it (the trap). The holder re-checks pg_locks for its own backend on a short
// interval and treats a closed connection as a lost lock at once; followers try again on the same interval.
// (Shape after CodebuffAI/codebuff packages/internal/src/db/advisory-lock.ts: postgres.js `max: 1`, no
// recycling, a pg_locks check of `pid = pg_backend_pid()`.) On PGlite the one process is always the leader.
import postgres from 'postgres';
import type { Logger } from '../../shared/ports.ts';

export type InstanceRole = 'single' | 'leader' | 'follower';

/** Arbitrary but fixed, below 2^31 so pg_locks shows it as classid 0, objid KEY. */
export const MAILBOX_LEADER_KEY = 741_120_263;
export const LEADERSHIP_CHECK_MS = 2_000;

export interface LeadershipHandlers {
  onGained: () => void;
  onLost: () => void;
}

export interface Leadership {
  role(): InstanceRole;
  isLeader(): boolean;
  /** Starts contending; the handlers run as the leadership comes and goes. */
  start(handlers: LeadershipHandlers): void;
  stop(): Promise<void>;
}

/** The single process on an embedded database: leader from the start, for good. */
export function singleLeadership(): Leadership {
  return {
    role: () => 'single',
    isLeader: () => true,
    start: (handlers) => handlers.onGained(),
    stop: async () => {},
  };
}

interface Contender {
  url: string;
  logger: Logger;
  session: postgres.Sql | null;
  leader: boolean;
  stopped: boolean;
  handlers: LeadershipHandlers;
}

export function createLeadership(options: { url: string; logger: Logger; checkMs?: number }): Leadership {
  const c: Contender = {
    url: options.url,
    logger: options.logger,
    session: null,
    leader: false,
    stopped: false,
    handlers: { onGained: () => {}, onLost: () => {} },
  };
  let checking: Promise<void> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (checking || c.stopped) return;
    checking = check(c).finally(() => {
      checking = null;
    });
  };
  return {
    role: () => (c.leader ? 'leader' : 'follower'),
    isLeader: () => c.leader,
    start(handlers) {
      c.handlers = handlers;
      tick();
      timer = setInterval(tick, options.checkMs ?? LEADERSHIP_CHECK_MS);
    },
    async stop() {
      c.stopped = true;
      clearInterval(timer);
      await checking;
      lose(c, 'stopping');
      // Ending the session releases the lock at once: the next instance takes over on its next check.
      await c.session?.end({ timeout: 2 }).catch(() => {});
      c.session = null;
    },
  };
}

/** One check: the leader confirms it still holds the lock, a follower tries to take it. */
async function check(c: Contender) {
  try {
    c.session ??= openSession(c);
    if (c.leader) {
      if (!(await holdsLock(c.session))) lose(c, 'lock no longer held');
    } else if ((await tryLock(c.session)) && !c.stopped) {
      c.leader = true;
      c.logger.info({ key: MAILBOX_LEADER_KEY }, 'took the mailbox leadership');
      c.handlers.onGained();
    }
  } catch (error) {
    lose(c, 'lock check failed');
    c.logger.warn({ err: error }, 'mailbox leadership check failed; will try again');
    void c.session?.end({ timeout: 0 }).catch(() => {});
    c.session = null;
  }
}

function lose(c: Contender, why: string) {
  if (!c.leader) return;
  c.leader = false;
  c.logger.warn({ why }, 'lost the mailbox leadership; stopping the watcher');
  c.handlers.onLost();
}

/**
 * The socket is gone, so is the lock: stop before the watcher could fetch again. Only this session's close
 * counts: an older one, dropped after a failed check, may close after a newer one took the lock.
 */
function openSession(c: Contender): postgres.Sql {
  const opened = lockSession(c.url, () => {
    if (c.session === opened) lose(c, 'lock connection closed');
  });
  return opened;
}

/** A connection of its own for the session lock: one connection, never closed for idleness or age. */
function lockSession(url: string, onClose: () => void): postgres.Sql {
  return postgres(url, {
    max: 1,
    idle_timeout: 0,
    // postgres.js recycles a connection after 30–60 min by default; the lock would silently go with it.
    max_lifetime: 0,
    connect_timeout: 5,
    onnotice: () => {},
    onclose: onClose,
  });
}

async function tryLock(session: postgres.Sql): Promise<boolean> {
  const [row] = await session`select pg_try_advisory_lock(${MAILBOX_LEADER_KEY}) as got`;
  return row?.got === true;
}

/** Whether this very backend still holds the lock: postgres.js reconnects silently, and a new one does not. */
async function holdsLock(session: postgres.Sql): Promise<boolean> {
  const held = await session`select 1 from pg_locks where locktype = 'advisory' and granted
    and pid = pg_backend_pid() and classid = 0 and objid = ${MAILBOX_LEADER_KEY}::int::oid`;
  return held.length > 0;
}
