// Who performs an admin action, and the pieces every admin use case shares: rollback with an outcome.
import type { Language } from '../notify/customer-texts.ts';

export interface Admin {
  id: number;
  /** For the cards and the audit log: `@username`, the first name, or the id. */
  name: string;
  /** The language the admin's answers are written in. */
  language: Language;
}

export const actorOf = (admin: Admin) => `admin:${admin.id}`;

/** Thrown inside a transaction to roll it back and answer with `outcome`. */
export class Rollback<T> extends Error {
  constructor(readonly outcome: T) {
    super('rolled back');
  }
}

export async function unlessRolledBack<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Rollback) return error.outcome as T;
    throw error;
  }
}
