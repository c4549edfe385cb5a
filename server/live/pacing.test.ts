import { describe, expect, it } from 'vitest';
import { FramePacer, MAX_FRAME_GAP_MS } from './pacing';

const BUSY = 0.95;
const SPARE = 0.5;

describe('FramePacer', () => {
  it('a first frame may go at once', () => {
    expect(new FramePacer(20).delay(1000)).toBe(0);
  });

  it.each([
    // frameMs, fan-out of the last frame (ms), loop utilisation, asked at (ms after its start), expected delay (ms)
    [20, 0.4, BUSY, 5, 15], // few walls: the window decides
    [20, 0.4, BUSY, 20, 0],
    [20, 0.4, BUSY, 35, 0], // a quiet line: at once
    [20, 6, BUSY, 5, 15], // 6 ms × 3 = 18 < 20: still the window
    [20, 10, BUSY, 5, 25], // 1,000 walls, busy loop: 10 ms × 3 = 30 ms between starts
    [20, 10, BUSY, 30, 0],
    [20, 10, SPARE, 5, 15], // 1,000 walls but time to spare: the window, no added latency
    [20, 25, 0.74, 5, 15], // just under BUSY_LOOP
    [20, 25, 0.75, 5, 70], // at it: 25 × 3 = 75
    [20, 200, BUSY, 0, MAX_FRAME_GAP_MS], // however slow, at least 10 frames a second
    [0, 10, BUSY, 0, 0], // frame length 0: every entry at once, unpaced
  ])('frameMs %d, fan-out %d ms, loop %d busy, asked %d ms after the start → %d ms', (frameMs, fanout, utilisation, askedAfter, expected) => {
    const p = new FramePacer(frameMs);
    p.sent(1000, 1000 + fanout, utilisation);
    expect(p.delay(1000 + askedAfter)).toBeCloseTo(expected, 9);
  });

  it('a one-off slow fan-out (a GC pause) stretches the gap by a quarter of its excess, not threefold', () => {
    const p = new FramePacer(20);
    p.sent(0, 10, BUSY); // mean 10 → gap 30
    p.sent(100, 110, BUSY);
    expect(p.gapMs).toBeCloseTo(30, 9);
    p.sent(200, 250, BUSY); // 50 ms: mean 10 + 0.25 × 40 = 20 → gap 60 (not 150)
    expect(p.gapMs).toBeCloseTo(60, 9);
    // and it recovers as fan-outs are quick again (5 ms): 20 + 0.25 × (5 − 20) = 16.25 → 13.4375 → …
    p.sent(300, 305, BUSY);
    expect(p.gapMs).toBeCloseTo(48.75, 9);
    p.sent(400, 405, BUSY);
    expect(p.gapMs).toBeCloseTo(40.3125, 9);
  });

  it('spacing starts once the loop has been busy for a few frames, and stops as it calms', () => {
    const p = new FramePacer(20);
    // Half busy: the running mean stays 0.5, frames keep the window.
    p.sent(0, 20, SPARE);
    expect(p.gapMs).toBe(20);
    // Saturated from here: 0.5 → 0.625 → 0.71875 → 0.7890625 (≥ 0.75 on the third busy frame).
    p.sent(100, 120, 1);
    expect(p.gapMs).toBe(20);
    p.sent(200, 220, 1);
    expect(p.gapMs).toBe(20);
    p.sent(300, 320, 1);
    expect(p.gapMs).toBeCloseTo(60, 9);
    // Calm again: 0.7890625 → 0.716796875, under the threshold.
    p.sent(400, 420, 0.5);
    expect(p.gapMs).toBe(20);
  });

  it('the gap is measured from the last frame start, so a frame sent early (a snapshot flush) restarts it', () => {
    const p = new FramePacer(20);
    p.sent(0, 1, BUSY);
    p.sent(7, 8, BUSY);
    expect(p.delay(10)).toBeCloseTo(17, 9);
  });
});
