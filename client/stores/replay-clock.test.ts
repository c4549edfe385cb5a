import { describe, expect, it } from 'vitest';
import { REPLAY_SPEEDS as SHARED_SPEEDS, replayMomentSchema } from '@shared/replay';
import { anchorAfterFrame, readMoment, REPLAY_SPEEDS, hueMoment, replayDrawIntervalMs, replayedAt, replayFromSearch, replayLink, searchWithMoment } from './replay-clock';

const T0 = Date.parse('2026-10-28T04:00:00+07:00');

describe('the replayed clock', () => {
  it('moves at its speed from where it was anchored, and holds at speed 0', () => {
    expect(replayedAt({ atMs: T0, wallMs: 1_000, speed: 60 }, 3_000)).toBe(T0 + 120_000);
    expect(replayedAt({ atMs: T0, wallMs: 1_000, speed: 0 }, 60_000)).toBe(T0);
  });

  it('stops at the present rather than running into the future', () => {
    expect(replayedAt({ atMs: T0, wallMs: 0, speed: 3600 }, 10_000, T0 + 5_000)).toBe(T0 + 5_000);
  });

  it('catches up to a frame ahead of it and never steps back for one behind', () => {
    const a = { atMs: T0, wallMs: 0, speed: 60 as const };
    expect(anchorAfterFrame(a, T0 + 30_000, 100)).toEqual({ atMs: T0 + 30_000, wallMs: 100, speed: 60 });
    expect(anchorAfterFrame(a, T0 + 1_000, 1_000)).toBe(a);
  });
});

describe('the address', () => {
  it('reads an unencoded + (a space by then), defaults speed to 1 and refuses other speeds', () => {
    expect(replayFromSearch('?at=2026-10-28T04:00+07:00&speed=60')).toEqual({ ok: true, at: '2026-10-28T04:00+07:00', speed: 60 });
    expect(replayFromSearch('?at=2026-10-28T04:00%2B07:00')).toEqual({ ok: true, at: '2026-10-28T04:00+07:00', speed: 1 });
    expect(replayFromSearch('?at=2026-10-28T04:00+07:00&speed=7')).toMatchObject({ ok: false });
    expect(replayFromSearch('?at=yesterday')).toMatchObject({ ok: false });
    expect(replayFromSearch('?lang=en')).toBeNull();
  });

  it('writes the moment in Huế time with its offset, keeping other parameters, and drops it for live', () => {
    expect(hueMoment(T0 + 1_500)).toBe('2026-10-28T04:00:01+07:00');
    const s = searchWithMoment('?lang=en', { atMs: T0, speed: 600 });
    expect(s).toBe('?lang=en&at=2026-10-28T04:00:00%2B07:00&speed=600');
    expect(replayFromSearch(s)).toEqual({ ok: true, at: '2026-10-28T04:00:00+07:00', speed: 600 });
    expect(searchWithMoment(s, null)).toBe('?lang=en');
  });
});

describe('the briefing\'s replay links', () => {
  it('open the wall on the moment, an hour a second, in the briefing\'s language', () => {
    expect(replayLink('/', T0, 3600, 'vi')).toBe('/?at=2026-10-28T04:00:00%2B07:00&speed=3600');
    expect(replayLink('/console', T0, 3600, 'en')).toBe('/console?lang=en&at=2026-10-28T04:00:00%2B07:00&speed=3600');
  });
});

describe('the rule restated without zod', () => {
  it('lists the shared speeds and reads every moment as the shared schema does', () => {
    expect(REPLAY_SPEEDS).toEqual(SHARED_SPEEDS);
    for (const text of ['2026-10-28T04:00+07:00', '2026-10-28T04:00 07:00', '2026-10-28T04:00:05.123Z', '2026-10-28T04:00', '2026-10-28 04:00+07:00', '2026-13-28T04:00+07:00', 'x'.repeat(41), '2026-10-28T04:00:00.1234567890+07:00']) {
      const shared = replayMomentSchema.safeParse(text);
      expect(readMoment(text), text).toEqual(shared.success ? { ok: true, at: shared.data } : { ok: false, message: expect.any(String) as string });
    }
  });
});

describe('how often a replay redraws the wall', () => {
  // A replayed hour per redraw at 3,600x, five minutes at 600x, fifteen seconds at 60x; each frame below.
  it.each([
    [0, 0],
    [1, 0],
    [10, 0],
    [60, 250],
    [600, 500],
    [3600, 1000],
  ] as const)('at %ix: every %i ms', (speed, ms) => {
    expect(replayDrawIntervalMs(speed)).toBe(ms);
  });
});
