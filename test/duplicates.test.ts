// Suspected repeats: the same notification under another message key, judged before anything is matched.
import { describe, expect, it } from 'vitest';
import { suspectedRepeats } from '../src/modules/payments/duplicates.ts';

const seen = (messageKey: string, fingerprint: string | null = 'sha256:a', authenticated = true) => ({
  messageKey,
  fingerprint,
  authenticated,
});

describe('suspectedRepeats', () => {
  it('suspects a notification whose fingerprint was recorded before under another message key', () => {
    expect(suspectedRepeats([seen('<b>')], [{ fingerprint: 'sha256:a', messageKey: '<a>' }])).toEqual([true]);
  });

  it('does not suspect the same message seen again (its key is the same)', () => {
    expect(suspectedRepeats([seen('<a>')], [{ fingerprint: 'sha256:a', messageKey: '<a>' }])).toEqual([
      false,
    ]);
  });

  it('suspects the second of two alike in one run, not the first', () => {
    expect(suspectedRepeats([seen('<a>'), seen('<b>'), seen('<c>', 'sha256:other')], [])).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('never lets an unauthenticated notification make a genuine one a repeat', () => {
    expect(suspectedRepeats([seen('<forged>', 'sha256:a', false), seen('<genuine>')], [])).toEqual([
      false,
      false,
    ]);
    expect(suspectedRepeats([seen('<genuine>'), seen('<forged>', 'sha256:a', false)], [])).toEqual([
      false,
      true,
    ]);
  });
});
