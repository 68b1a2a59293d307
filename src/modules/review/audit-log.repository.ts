// The audit log: every admin action that moves money or settles a payment, with who did it.
import type { Db } from '../../shared/db/database.ts';
import { auditLog } from '../../shared/db/schema.ts';

export type AuditEntry = typeof auditLog.$inferInsert;

export function createAuditLogRepository({ db }: { db: Db }) {
  return {
    async record(entry: AuditEntry): Promise<void> {
      await db.insert(auditLog).values(entry);
    },
  };
}
