// When to tell the admins what is wrong with the mailbox, and when it is back: each problem once per incident.
import { type MailboxProblem, type MailboxProblemKind, needsOperator } from './mailbox-problem.ts';

export interface OutageState {
  /** Since when (ms) the mailbox has been unreachable; null while connected. */
  downSince: number | null;
  /** The problems the admins were told about during this incident. */
  reported: readonly MailboxProblemKind[];
}

export type OutageReport =
  | { kind: 'problem'; problem: MailboxProblem; downSince: number }
  | { kind: 'recovered'; downSince: number; problems: readonly MailboxProblemKind[] };

export const initialOutage = (now: number): OutageState => ({ downSince: now, reported: [] });

const UNKNOWN_CAUSE: MailboxProblem = { kind: 'unreachable', detail: '' };

/**
 * The next state after observing the connection at `now`, and what (if anything) to report. A problem
 * the operator must fix (a refused login, …) is reported at once; a plain outage after `alertAfterMs`.
 */
export function observeMailbox(
  state: OutageState,
  observation: { connected: boolean; problem: MailboxProblem | null; now: number },
  alertAfterMs: number,
): { state: OutageState; report: OutageReport | null } {
  if (observation.connected) {
    const report =
      state.reported.length > 0 && state.downSince !== null
        ? ({ kind: 'recovered', downSince: state.downSince, problems: state.reported } as const)
        : null;
    return { state: { downSince: null, reported: [] }, report };
  }
  const downSince = state.downSince ?? observation.now;
  const problem = observation.problem ?? UNKNOWN_CAUSE;
  const due = needsOperator(problem) || observation.now - downSince >= alertAfterMs;
  if (due && !state.reported.includes(problem.kind)) {
    return {
      state: { downSince, reported: [...state.reported, problem.kind] },
      report: { kind: 'problem', problem, downSince },
    };
  }
  return { state: { downSince, reported: state.reported }, report: null };
}

/** The state as if `report` had never been made (the admins could not be told): the next observation makes it again. */
export function withdrawReport(state: OutageState, report: OutageReport): OutageState {
  if (report.kind === 'recovered') return { downSince: report.downSince, reported: report.problems };
  return { ...state, reported: state.reported.filter((kind) => kind !== report.problem.kind) };
}
