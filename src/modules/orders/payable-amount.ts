// Payable amounts: the requested amount, or the nearest free one within the configured offset window.

export type OffsetDirection = 'down' | 'up';

/** The amounts an order for `requestedFen` may be paid with, in order of preference; never ≤ 0. */
export function payableCandidates(
  requestedFen: number,
  offsetMaxFen: number,
  direction: OffsetDirection,
): number[] {
  const step = direction === 'down' ? -1 : 1;
  const candidates: number[] = [];
  for (let offset = 0; offset <= offsetMaxFen; offset++) {
    const fen = requestedFen + step * offset;
    if (fen <= 0) break;
    candidates.push(fen);
  }
  return candidates;
}
