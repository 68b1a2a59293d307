// How far a catch-up of the mailbox has got: messages done of the total, the rate and the time left.

export interface CatchUp {
  /** When (ms) the catch-up began. */
  startedAt: number;
  /** Messages processed since it began. */
  done: number;
  /** Messages on the server still to process, as last counted. */
  remaining: number;
}

export interface CatchUpFigures {
  done: number;
  total: number;
  /** Messages per second since the catch-up began. */
  perSecond: number;
  /** Seconds left at that rate; null until the rate is known. */
  etaSeconds: number | null;
}

export const startCatchUp = (now: number, remaining: number): CatchUp => ({
  startedAt: now,
  done: 0,
  remaining,
});

export function catchUpFigures(catchUp: CatchUp, now: number): CatchUpFigures {
  const seconds = Math.max(0.001, (now - catchUp.startedAt) / 1000);
  const perSecond = catchUp.done / seconds;
  return {
    done: catchUp.done,
    total: catchUp.done + catchUp.remaining,
    perSecond,
    etaSeconds: perSecond > 0 ? catchUp.remaining / perSecond : null,
  };
}

/** "45 s", "3 min 20 s", "2 h 5 min": for log lines and the admins' /health. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** The progress log line: "catching up: 1200 of 10000, 640/s, ETA 14 s". */
export function describeCatchUp(figures: CatchUpFigures): string {
  const eta = figures.etaSeconds === null ? 'unknown' : formatDuration(figures.etaSeconds);
  return `catching up: ${figures.done} of ${figures.total}, ${Math.round(figures.perSecond)}/s, ETA ${eta}`;
}
