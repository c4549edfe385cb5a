import { describe, expect, it } from 'vitest';
import type { LiveKpis } from '@shared/protocol';
import { makeKpis } from '../stores/fixtures';
import { CITY_TILES, tileView } from './kpi-tiles';

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
