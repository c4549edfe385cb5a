import { describe, expect, it } from 'vitest';
import type { LiveKpis } from '@shared/protocol';
import { makeKpis, makePeriod766 } from '../stores/fixtures';
import { CITY_TILES, index766TileView, periodText, tileView } from './kpi-tiles';

function tile(name: string) {
  const def = CITY_TILES.find((t) => t.name === name);
  if (!def) throw new Error(`no tile ${name}`);
  return def;
}

function live(today: LiveKpis, yesterday: LiveKpis, lastWeek: LiveKpis): LiveKpis {
  return { today: today.today, yesterday: yesterday.today, lastWeek: lastWeek.today };
}

describe('tileView', () => {
  it('more late dossiers than yesterday is bad, fewer than last week is good', () => {
    const v = tileView(tile('dossiers-late'), live(makeKpis({ late: 5 }), makeKpis({ late: 3 }), makeKpis({ late: 8 })), 'vi-VN');
    expect(v.text).toBe('5');
    expect(v.alarm).toBe(true);
    expect(v.vsYesterday).toEqual({ arrow: '▲', delta: 2, tone: 'bad' });
    expect(v.vsLastWeek).toEqual({ arrow: '▼', delta: -3, tone: 'good' });
  });

  it('a higher on-time rate is good; none yesterday means no trend', () => {
    const v = tileView(tile('dossiers-on-time'), live(makeKpis({ onTimeRate: 0.9 }), makeKpis(), makeKpis({ onTimeRate: 0.8 })), 'en-GB');
    expect(v.text).toBe('90%');
    expect(v.vsYesterday).toBeNull();
    expect(v.vsLastWeek?.tone).toBe('good');
  });

  it('writes the 766 total with one decimal, "—" when nothing is computable', () => {
    const k = makeKpis();
    expect(tileView(tile('index766'), k, 'vi-VN').text).toBe('—');
    const scored: LiveKpis = { ...k, today: { ...k.today, index766: { ...k.today.index766, total: 41.25, max: 62 } } };
    expect(tileView(tile('index766'), scored, 'vi-VN').text).toBe('41,3');
  });

  it('shows "—" before the first snapshot', () => {
    expect(tileView(tile('reports-open'), undefined, 'vi-VN')).toEqual({ value: null, text: '—', vsYesterday: null, vsLastWeek: null, alarm: false });
  });
});

describe('periodText', () => {
  it.each([
    // The start's local date decides: 1 Nov 00:00 in Huế is 31 Oct 17:00 UTC.
    ['month', '2026-10-31T17:00:00.000Z', 'vi', 'Tháng 11 đến nay'],
    ['month', '2026-10-31T17:00:00.000Z', 'en', 'Nov to date'],
    ['quarter', '2026-09-30T17:00:00.000Z', 'vi', 'Quý IV đến nay'],
    ['quarter', '2026-09-30T17:00:00.000Z', 'en', 'Q4 to date'],
    ['quarter', '2025-12-31T17:00:00.000Z', 'vi', 'Quý I đến nay'],
    ['rolling30', '2026-10-30T17:00:00.000Z', 'vi', '30 ngày qua'],
    ['rolling30', '2026-10-30T17:00:00.000Z', 'en', 'Last 30 days'],
  ] as const)('%s from %s in %s → %s', (period, from, lang, text) => {
    expect(periodText({ period, from }, lang)).toBe(text);
  });
});

describe('index766TileView', () => {
  it('writes the period total out of the full 82, even when a part has no data (it scores 0)', () => {
    const p = makePeriod766({
      index766: { progress: 18.5, online: 12, payment: null, digitisation: 20.9, satisfaction: 16.2, total: 67.6, max: 72 },
    });
    expect(index766TileView(p, 'vi-VN', 'vi')).toEqual({ text: '67,6', suffix: '/ 82', period: 'Tháng 11 đến nay' });
  });

  it('a period with no data at all is 0 of 82, and nothing before the first snapshot', () => {
    expect(index766TileView(makePeriod766(), 'en-GB', 'en')).toEqual({ text: '0.0', suffix: '/ 82', period: 'Nov to date' });
    expect(index766TileView(undefined, 'en-GB', 'en')).toBeNull();
  });
});
