import { describe, expect, it } from 'vitest';
import type { RankingRow } from '@shared/protocol';
import { rankChange, sortRankingRows, toColumns } from './ranking';

function row(ward: string, rank: number | null, score: number | null, previousRank: number | null = null): RankingRow {
  return { ward, rank, score, previousRank, governance: null, safety: null, environment: null, service: null, index766: { total: 0, max: 0 } };
}

describe('sortRankingRows', () => {
  it('orders by rank, ties by name (Vietnamese order), unranked last', () => {
    // Names from the registry: 19753 Phú Xuân, 19774 Kim Long, 19777 Vỹ Dạ, 19789 Thuận Hóa.
    const rows = [row('19753', null, null), row('19777', 2, 70), row('19774', 1, 80), row('19789', 2, 70)];
    expect(sortRankingRows(rows).map((r) => r.ward)).toEqual(['19774', '19789', '19777', '19753']);
  });
});

describe('rankChange', () => {
  it.each([
    { rank: 4, previousRank: 7, expected: { text: '▲3', tone: 'good' } },
    { rank: 9, previousRank: 7, expected: { text: '▼2', tone: 'bad' } },
    { rank: 5, previousRank: 5, expected: { text: '=', tone: 'neutral' } },
    { rank: 5, previousRank: null, expected: { text: '—', tone: 'neutral' } },
    { rank: null, previousRank: 3, expected: { text: '—', tone: 'neutral' } },
  ])('$previousRank → $rank: $expected.text', ({ rank, previousRank, expected }) => {
    expect(rankChange({ rank, previousRank })).toEqual(expected);
  });
});

describe('toColumns', () => {
  it('fills 40 rows into two columns of 20, top to bottom', () => {
    const cols = toColumns(Array.from({ length: 40 }, (_, i) => i + 1), 2);
    expect(cols.map((c) => c.length)).toEqual([20, 20]);
    expect(cols[1]?.[0]).toBe(21);
  });

  it('leaves the last column short when the count does not divide', () => {
    expect(toColumns([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
  });
});
