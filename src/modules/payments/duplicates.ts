// Suspected repeats: a notification whose every field repeats an authenticated one under another message key.

/** An authenticated notification recorded before: its fingerprint and the message that carried it. */
export interface Sighting {
  fingerprint: string;
  messageKey: string;
}

export interface NotificationSeen {
  fingerprint: string | null;
  messageKey: string;
  authenticated: boolean;
}

/**
 * For each notification of `run`, in order, whether it repeats one of `earlier` or one before it in the
 * run under another message key. Only an authenticated notification can make another a repeat: a forged
 * copy must not shadow the genuine one.
 */
export function suspectedRepeats(run: readonly NotificationSeen[], earlier: readonly Sighting[]): boolean[] {
  const seen = new Map<string, Set<string>>();
  const remember = (fingerprint: string, messageKey: string) =>
    seen.set(fingerprint, (seen.get(fingerprint) ?? new Set()).add(messageKey));
  for (const { fingerprint, messageKey } of earlier) remember(fingerprint, messageKey);
  return run.map(({ fingerprint, messageKey, authenticated }) => {
    const key = fingerprint ?? '';
    const repeat = [...(seen.get(key) ?? [])].some((other) => other !== messageKey);
    if (authenticated) remember(key, messageKey);
    return repeat;
  });
}
