// The statement use cases the bot calls: a statement file read and reconciled, and /export's files.

import { readStatementFile } from './read-statement-file.ts';
import type { ReconcileStatement, StatementOutcome } from './reconcile-statement.ts';
import type { StatementProblem } from './statement.models.ts';

export type StatementFileOutcome =
  | { ok: true; outcome: StatementOutcome }
  | { ok: false; code: StatementProblem };

export function createReconcileStatementFile(reconcileStatement: ReconcileStatement) {
  /** Nothing is recorded unless the whole file reads as a statement. */
  return async function reconcileStatementFile(bytes: Buffer): Promise<StatementFileOutcome> {
    const read = await readStatementFile(bytes);
    if (!read.ok) return read;
    return { ok: true, outcome: await reconcileStatement(read.statement) };
  };
}

export type ReconcileStatementFile = ReturnType<typeof createReconcileStatementFile>;
