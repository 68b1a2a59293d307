// The pure rule that turns a flood of admin notices into summaries.
import { describe, expect, it } from 'vitest';
import {
  admitNotice,
  NO_WINDOW,
  type NoticeWindow,
  rollOver,
} from '../src/modules/notify/notice-throttle.ts';

const policy = { perWindow: 3, windowMs: 60_000 };
const at = (seconds: number) => new Date(Date.UTC(2026, 10, 20, 4, 0, seconds));

/** Notices at these seconds, in order: whether each went out, and each summary's count with its time. */
function run(seconds: readonly number[], start: NoticeWindow = NO_WINDOW) {
  let window = start;
  const sent: boolean[] = [];
  const summaries: Array<[number, number]> = [];
  for (const second of seconds) {
    const admitted = admitNotice(window, at(second), policy);
    if (admitted.summarised > 0) summaries.push([second, admitted.summarised]);
    sent.push(admitted.send);
    window = admitted.window;
  }
  return { sent, summaries, window };
}

describe('admitNotice', () => {
  it('sends the first notices of a window one by one and holds the rest', () => {
    const { sent, window } = run([0, 1, 2, 3, 4, 59]);
    expect(sent).toEqual([true, true, true, false, false, false]);
    expect(window).toEqual({ endsAt: at(60), sent: 3, held: 3 });
  });

  it('summarises a window that held notices when the next notice comes, and holds while the flood goes on', () => {
    const { sent, summaries } = run([0, 1, 2, 3, 4, 60, 61, 125]);
    expect(sent).toEqual([true, true, true, false, false, false, false, false]);
    expect(summaries).toEqual([
      [60, 2],
      [125, 2],
    ]);
  });

  it('sends one by one again once a window ends without holding anything', () => {
    const { sent, summaries } = run([0, 1, 2, 3, 60, 200, 201]);
    // 60: the flood's summary, and a window that holds; 200: that window held the one notice of 60.
    expect(summaries).toEqual([
      [60, 1],
      [200, 1],
    ]);
    expect(sent).toEqual([true, true, true, false, false, false, false]);
    const calm = run([400], { endsAt: at(260), sent: 3, held: 0 });
    expect(calm).toMatchObject({ sent: [true], summaries: [] });
  });
});

describe('rollOver', () => {
  it('leaves a window that has not ended alone', () => {
    const window = { endsAt: at(60), sent: 3, held: 5 };
    expect(rollOver(window, at(59), policy)).toEqual({ window, summarised: 0 });
  });

  it('closes an ended window with its held count, and the next window sends nothing one by one', () => {
    expect(rollOver({ endsAt: at(60), sent: 3, held: 5 }, at(61), policy)).toEqual({
      window: { endsAt: at(121), sent: 3, held: 0 },
      summarised: 5,
    });
  });
});
