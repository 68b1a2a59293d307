import { describe, expect, it } from 'vitest';
import { sizeBoundedChunks } from '../src/modules/ingestion/mail/imap-cursor.ts';
import {
  initialOutage,
  type OutageReport,
  type OutageState,
  observeMailbox,
  withdrawReport,
} from '../src/modules/ingestion/mail/mailbox-outage.ts';
import type { MailboxProblem, MailboxProblemKind } from '../src/modules/ingestion/mail/mailbox-problem.ts';
import { nextDelay } from '../src/shared/backoff.ts';

const ALERT_AFTER = 180_000;

type Observation = [connected: boolean, now: number, problem?: MailboxProblemKind];

const describeReport = (report: OutageReport) =>
  `${report.kind === 'problem' ? report.problem.kind : report.kind}@${report.downSince}`;

function run(observations: Observation[]) {
  let state: OutageState = initialOutage(0);
  const reports: string[] = [];
  for (const [connected, now, kind] of observations) {
    const problem: MailboxProblem | null = kind ? { kind, detail: 'server words' } : null;
    const step = observeMailbox(state, { connected, problem, now }, ALERT_AFTER);
    state = step.state;
    if (step.report) reports.push(describeReport(step.report));
  }
  return reports;
}

describe('observeMailbox', () => {
  it('says nothing about a drop shorter than the threshold', () => {
    expect(
      run([
        [true, 1],
        [false, 1_000],
        [false, 100_000],
        [true, 150_000],
      ]),
    ).toEqual([]);
  });

  it('reports an outage once when it passes the threshold, and its end once', () => {
    expect(
      run([
        [true, 1],
        [false, 1_000],
        [false, 100_000],
        [false, 181_000],
        [false, 500_000],
        [false, 900_000],
        [true, 901_000],
        [true, 950_000],
      ]),
    ).toEqual(['unreachable@1000', 'recovered@1000']);
  });

  it('reports each incident separately', () => {
    expect(
      run([
        [true, 1],
        [false, 10],
        [false, 200_000],
        [true, 210_000],
        [false, 300_000],
        [false, 490_000],
        [true, 500_000],
      ]),
    ).toEqual(['unreachable@10', 'recovered@10', 'unreachable@300000', 'recovered@300000']);
  });

  it('counts a mailbox that never connected since start-up as unreachable', () => {
    expect(
      run([
        [false, 1_000],
        [false, 180_000],
      ]),
    ).toEqual(['unreachable@0']);
  });

  it('reports a refused login at once, not after the outage threshold, and once however often it is retried', () => {
    expect(
      run([
        [false, 500, 'login_refused'],
        [false, 600_000, 'login_refused'],
        [false, 1_200_000, 'login_refused'],
        [true, 1_800_000],
      ]),
    ).toEqual(['login_refused@0', 'recovered@0']);
  });

  it('reports each different problem of one incident once: a missing folder, then the server going away', () => {
    expect(
      run([
        [true, 1],
        [false, 1_000, 'mailbox_missing'],
        [false, 2_000, 'unreachable'],
        [false, 100_000, 'unreachable'],
        [false, 200_000, 'unreachable'],
        [false, 300_000, 'mailbox_missing'],
        [false, 400_000, 'tls_mismatch'],
        [true, 500_000],
      ]),
    ).toEqual(['mailbox_missing@1000', 'unreachable@1000', 'tls_mismatch@1000', 'recovered@1000']);
  });
});

describe('withdrawReport', () => {
  it('makes the next observation report again what the admins could not be told', () => {
    const loginRefused: MailboxProblem = { kind: 'login_refused', detail: 'Authentication failed.' };
    const first = observeMailbox(
      initialOutage(0),
      { connected: false, problem: loginRefused, now: 10 },
      ALERT_AFTER,
    );
    expect(first.report?.kind).toBe('problem');
    const undone = withdrawReport(first.state, first.report as OutageReport);
    const again = observeMailbox(undone, { connected: false, problem: loginRefused, now: 20 }, ALERT_AFTER);
    expect(again.report).toEqual({ kind: 'problem', problem: loginRefused, downSince: 0 });

    const back = observeMailbox(again.state, { connected: true, problem: null, now: 30 }, ALERT_AFTER);
    expect(back.report).toEqual({ kind: 'recovered', downSince: 0, problems: ['login_refused'] });
    const backUndone = withdrawReport(back.state, back.report as OutageReport);
    const backAgain = observeMailbox(backUndone, { connected: true, problem: null, now: 40 }, ALERT_AFTER);
    expect(backAgain.report).toEqual(back.report);
  });
});

describe('reconnect back-off', () => {
  const policy = { baseMs: 1_000, maxMs: 30_000 };
  it('grows exponentially, never passes the cap, and spreads clients apart with jitter', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => nextDelay(attempt, policy, 0.999_999));
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    const floors = [1, 5, 20].map((attempt) => nextDelay(attempt, policy, 0));
    expect(floors).toEqual([500, 8_000, 15_000]);
    const spread = new Set([0, 0.25, 0.5, 0.75].map((random) => nextDelay(4, policy, random)));
    expect(spread.size).toBe(4);
  });
});

describe('sizeBoundedChunks', () => {
  it('keeps each chunk within the byte budget, in order, a too-large message alone', () => {
    const sizes = [400, 300, 400, 1_500, 100, 100].map((size, uid) => ({ uid, size }));
    expect(sizeBoundedChunks(sizes, 1_000).map((chunk) => chunk.map((m) => m.uid))).toEqual([
      [0, 1],
      [2],
      [3],
      [4, 5],
    ]);
    expect(sizeBoundedChunks([], 1_000)).toEqual([]);
  });
});
