// The service's GET /healthz: the database answers, the mailbox is watched (by this instance, unless it is
// a follower: the leader watches), the bot takes updates (polls, or its webhook is set); and the instance's role.
import { sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/database.ts';
import type { MailboxState } from '../../shared/ports.ts';
import type { InstanceRole } from '../instances/mailbox-leadership.ts';
import { healthRoute } from './health-route.ts';

export function serviceHealthRoute(
  database: Database,
  state: { mailboxState: () => MailboxState; pollingState: () => string; role: () => InstanceRole },
) {
  return healthRoute(
    {
      database: async () => {
        await database.rows(sql`select 1`);
        return { up: true };
      },
      mailbox: async () => ({ up: state.role() === 'follower' || state.mailboxState() === 'connected' }),
      bot: async () => ({ up: ['polling', 'webhook'].includes(state.pollingState()) }),
    },
    state.role,
  );
}
