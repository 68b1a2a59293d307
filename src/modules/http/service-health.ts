// The service's GET /healthz: the database answers, the mailbox is watched (by this instance, unless it is
// a follower: the leader watches), the bot takes updates (polls, or its webhook is set), the forwarder webhook is heard from; and the instance's role.
import { sql } from 'drizzle-orm';
import type { Database } from '../../shared/db/database.ts';
import type { MailboxState } from '../../shared/ports.ts';
import type { InstanceRole } from '../instances/mailbox-leadership.ts';
import { type ComponentCheck, healthRoute } from './health-route.ts';

export function serviceHealthRoute(
  database: Database,
  state: {
    mailboxState: () => MailboxState;
    pollingState: () => string;
    role: () => InstanceRole;
    /** The forwarder webhook's check, when it is on. */
    forwarder: ComponentCheck | null;
  },
) {
  return healthRoute(
    {
      database: async () => {
        await database.rows(sql`select 1`);
        return { up: true };
      },
      mailbox: async () => ({ up: state.role() === 'follower' || state.mailboxState() === 'connected' }),
      bot: async () => ({ up: ['polling', 'webhook'].includes(state.pollingState()) }),
      ...(state.forwarder ? { forwarder: state.forwarder } : {}),
    },
    state.role,
  );
}
