import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from './throttled';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createThrottle', () => {
  it('publishes the first poke on the next turn (never inside the poke), then at most once per interval, ending after the last poke', () => {
    const at: number[] = [];
    const start = Date.now();
    const t = createThrottle(250, () => at.push(Date.now() - start));
    t.poke();
    t.poke();
    expect(at).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(at).toEqual([0]);
    // Pokes within the interval wait for its end, and make one publish between them.
    vi.advanceTimersByTime(10);
    t.poke();
    t.poke();
    expect(at).toEqual([0]);
    vi.advanceTimersByTime(239);
    expect(at).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(at).toEqual([0, 250]);
    // A frame every 20 ms for a second: at most 4 publishes, 250 ms apart, and one after the last poke.
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(20);
      t.poke();
    }
    vi.advanceTimersByTime(250);
    const during = at.slice(2);
    expect(during.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(250);
    expect(at.at(-1)!).toBeGreaterThanOrEqual(250 + 50 * 20);
    t.dispose();
  });

  it('publishes nothing after dispose', () => {
    const calls: number[] = [];
    const t = createThrottle(100, () => calls.push(1));
    t.poke();
    vi.advanceTimersByTime(0);
    t.poke();
    t.dispose();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([1]);
  });
});
