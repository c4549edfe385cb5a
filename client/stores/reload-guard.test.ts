import { describe, expect, it } from 'vitest';
import { pageBuild, RELOAD_GUARD_KEY, RELOAD_GUARD_MS, reloadAtMostOnceAMinute, servesAnotherBuild } from './reload-guard';

/** A tab's sessionStorage, its clock and its reloads. */
function tab(startMs = 1_800_000_000_000) {
  const stored = new Map<string, string>();
  const t = {
    nowMs: startMs,
    reloads: 0,
    deps: {
      storage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) },
      now: () => t.nowMs,
      reload: () => void (t.reloads += 1),
    },
    stored,
  };
  return t;
}

describe('reloadAtMostOnceAMinute', () => {
  it('reloads the first time, then not again within the minute, then again after it', () => {
    const t = tab();
    expect(reloadAtMostOnceAMinute(t.deps)).toBe(true);
    expect(t.stored.get(RELOAD_GUARD_KEY)).toBe(String(t.nowMs));
    // The reloaded page meets the other version again (an old node during an upgrade): every snapshot asks.
    for (const after of [0, 1, 30_000, RELOAD_GUARD_MS - 1]) {
      t.nowMs = 1_800_000_000_000 + after;
      expect(reloadAtMostOnceAMinute(t.deps), `${after} ms after`).toBe(false);
    }
    t.nowMs = 1_800_000_000_000 + RELOAD_GUARD_MS;
    expect(reloadAtMostOnceAMinute(t.deps)).toBe(true);
    expect(t.reloads).toBe(2);
  });

  it('over an hour of a wall asked on every snapshot (every 3 s) reloads at most 60 times, never twice in a minute', () => {
    const t = tab();
    const at: number[] = [];
    for (let ms = 0; ms < 3_600_000; ms += 3_000) {
      t.nowMs = 1_800_000_000_000 + ms;
      if (reloadAtMostOnceAMinute(t.deps)) at.push(ms);
    }
    expect(at.length).toBe(60);
    expect(at.every((ms, i) => i === 0 || ms - at[i - 1]! >= RELOAD_GUARD_MS)).toBe(true);
  });

  it('a note from the future (the clock set back) does not hold reloads off until then', () => {
    const t = tab();
    t.stored.set(RELOAD_GUARD_KEY, String(t.nowMs + 3_600_000));
    expect(reloadAtMostOnceAMinute(t.deps)).toBe(true);
  });

  it('a note that is not a number reloads once and is replaced', () => {
    const t = tab();
    t.stored.set(RELOAD_GUARD_KEY, 'garbage');
    expect(reloadAtMostOnceAMinute(t.deps)).toBe(true);
    expect(reloadAtMostOnceAMinute(t.deps)).toBe(false);
  });

  it('never reloads where the note cannot be kept: storage that throws, or forgets what it was given', () => {
    const throwing = tab();
    throwing.deps.storage.getItem = () => {
      throw new Error('SecurityError');
    };
    expect(reloadAtMostOnceAMinute(throwing.deps)).toBe(false);
    const forgetful = tab();
    forgetful.deps.storage.setItem = () => {};
    expect(reloadAtMostOnceAMinute(forgetful.deps)).toBe(false);
    expect(throwing.reloads + forgetful.reloads).toBe(0);
  });
});

describe('servesAnotherBuild', () => {
  it.each([
    ['the same build', 'aaaa', 'aaaa', false],
    ['another build', 'aaaa', 'bbbb', true],
    ['a server that serves no built page', 'aaaa', undefined, false],
    ['a page from the dev server', null, 'bbbb', false],
    ['neither known', null, undefined, false],
  ] as const)('%s', (_what, page, served, expected) => {
    expect(servesAnotherBuild(page, served)).toBe(expected);
  });
});

describe('pageBuild', () => {
  it('reads the meta the build writes, or null without one or without a document', () => {
    const doc = (content: string | null) => ({
      querySelector: (sel: string) => (sel === 'meta[name="ioc-build"]' && content !== null ? { getAttribute: (a: string) => (a === 'content' ? content : null) } : null),
    });
    expect(pageBuild(doc('bca8f58cc7075a05') as unknown as Document)).toBe('bca8f58cc7075a05');
    expect(pageBuild(doc(null) as unknown as Document)).toBeNull();
    expect(pageBuild(undefined)).toBeNull();
  });
});
