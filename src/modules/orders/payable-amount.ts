// Payable amounts: the requested amount, or the nearest free one within the configured offset window.

export type OffsetDirection = 'down' | 'up';

/** Payable amounts in order of preference: `count` of them from `fromFen`, one fen apart in `step`'s direction. */
export interface PayableWindow {
  fromFen: number;
  step: 1 | -1;
  count: number;
}

/** The amounts an order for `requestedFen` may be paid with, as a window; never ≤ 0. */
export function payableWindow(
  requestedFen: number,
  offsetMaxFen: number,
  direction: OffsetDirection,
): PayableWindow {
  const step = direction === 'down' ? -1 : 1;
  const count = step === -1 ? Math.min(offsetMaxFen + 1, requestedFen) : offsetMaxFen + 1;
  return { fromFen: requestedFen, step, count: requestedFen > 0 ? count : 0 };
}

/** The amounts an order for `requestedFen` may be paid with, in order of preference; never ≤ 0. */
export function payableCandidates(
  requestedFen: number,
  offsetMaxFen: number,
  direction: OffsetDirection,
): number[] {
  const { fromFen, step, count } = payableWindow(requestedFen, offsetMaxFen, direction);
  return Array.from({ length: count }, (_, i) => fromFen + step * i);
}
