// When to tell the admins the mailbox is unreachable, and when it is back: once per incident.

export interface OutageState {
  /** Since when (ms) the mailbox has been unreachable; null while connected. */
  downSince: number | null;
  /** Whether the admins were told about this incident. */
  reported: boolean;
}

export type OutageReport =
  | { kind: 'unreachable'; downSince: number }
  | { kind: 'recovered'; downSince: number };

export const initialOutage = (now: number): OutageState => ({ downSince: now, reported: false });

/** The next state after observing the connection at `now`, and what (if anything) to report. */
export function observeMailbox(
  state: OutageState,
  observation: { connected: boolean; now: number },
  alertAfterMs: number,
): { state: OutageState; report: OutageReport | null } {
  if (observation.connected) {
    const report =
      state.reported && state.downSince !== null
        ? ({ kind: 'recovered', downSince: state.downSince } as const)
        : null;
    return { state: { downSince: null, reported: false }, report };
  }
  const downSince = state.downSince ?? observation.now;
  if (!state.reported && observation.now - downSince >= alertAfterMs) {
    return { state: { downSince, reported: true }, report: { kind: 'unreachable', downSince } };
  }
  return { state: { downSince, reported: state.reported }, report: null };
}
