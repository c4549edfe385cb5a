import { describe, expect, it } from 'vitest';
import { FramePacer, MAX_FRAME_GAP_MS } from './pacing';

describe('FramePacer', () => {
  it('a first frame may go at once', () => {
    expect(new FramePacer(20).delay(1000)).toBe(0);
  });

  it.each([
    // frameMs, fan-out of the last frame (ms), asked at (ms after its start), expected delay (ms)
    [20, 0.4, 5, 15], // few walls: the window decides
    [20, 0.4, 20, 0],
    [20, 0.4, 35, 0], // a quiet line: at once
    [20, 6, 5, 15], // 6 ms × 3 = 18 < 20: still the window
    [20, 10, 5, 25], // 1,000 walls: 10 ms × 3 = 30 ms between starts
    [20, 10, 30, 0],
    [20, 200, 0, MAX_FRAME_GAP_MS], // however slow, at least 4 frames a second
    [0, 10, 0, 0], // frame length 0: every entry at once, unpaced
  ])('frameMs %d, fan-out %d ms, asked %d ms after the start → %d ms', (frameMs, fanout, askedAfter, expected) => {
    const p = new FramePacer(frameMs);
    p.sent(1000, 1000 + fanout);
    expect(p.delay(1000 + askedAfter)).toBeCloseTo(expected, 9);
  });

  it('a one-off slow fan-out (a GC pause) stretches the gap by a quarter of its excess, not threefold', () => {
    const p = new FramePacer(20);
    p.sent(0, 10); // mean 10 → gap 30
    p.sent(100, 110);
    expect(p.gapMs).toBeCloseTo(30, 9);
    p.sent(200, 250); // 50 ms: mean 10 + 0.25 × 40 = 20 → gap 60 (not 150)
    expect(p.gapMs).toBeCloseTo(60, 9);
    // and it recovers as fan-outs are quick again (5 ms): 20 + 0.25 × (5 − 20) = 16.25 → 13.4375 → …
    p.sent(300, 305);
    expect(p.gapMs).toBeCloseTo(48.75, 9);
    p.sent(400, 405);
    expect(p.gapMs).toBeCloseTo(40.3125, 9);
  });

  it('the gap is measured from the last frame start, so a frame sent early (a snapshot flush) restarts it', () => {
    const p = new FramePacer(20);
    p.sent(0, 1);
    p.sent(7, 8);
    expect(p.delay(10)).toBeCloseTo(17, 9);
  });
});
