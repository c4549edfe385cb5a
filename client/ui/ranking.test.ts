import { describe, expect, it } from 'vitest';
import type { RankingRow } from '@shared/protocol';
import { formatRankRange, rankChange, rankingBoard, sortRankingRows, toColumns } from './ranking';

function row(ward: string, rank: number | null, score: number | null, previousRank: number | null = null): RankingRow {
  return {
    ward,
    rank,
    score,
    rankRange: rank === null ? null : [rank, rank],
    previousRank,
    movement: 'steady',
    governance: null,
    safety: null,
    environment: null,
    service: null,
    index766: { total: 0, max: 0 },
  };
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
    { rank: 4, previousRank: 7, movement: 'up', expected: { text: '▲3', tone: 'good' } },
    { rank: 9, previousRank: 7, movement: 'down', expected: { text: '▼2', tone: 'bad' } },
    // A real movement whose rank has not (yet) moved the same way: the arrow alone.
    { rank: 7, previousRank: 7, movement: 'down', expected: { text: '▼', tone: 'bad' } },
    { rank: 6, previousRank: 7, movement: 'down', expected: { text: '▼', tone: 'bad' } },
    { rank: 8, previousRank: 7, movement: 'up', expected: { text: '▲', tone: 'good' } },
    // Rank shifts within the noise draw no arrow.
    { rank: 4, previousRank: 7, movement: 'steady', expected: { text: '=', tone: 'neutral' } },
    { rank: 30, previousRank: 7, movement: 'steady', expected: { text: '=', tone: 'neutral' } },
    { rank: 5, previousRank: 5, movement: 'steady', expected: { text: '=', tone: 'neutral' } },
    { rank: 5, previousRank: null, movement: 'up', expected: { text: '—', tone: 'neutral' } },
    { rank: null, previousRank: 3, movement: 'steady', expected: { text: '—', tone: 'neutral' } },
  ] as const)('$previousRank → $rank, $movement: $expected.text', ({ rank, previousRank, movement, expected }) => {
    expect(rankChange({ rank, previousRank, movement })).toEqual(expected);
  });
});

describe('formatRankRange', () => {
  it.each([
    [[3, 9] as [number, number], '3–9'],
    [[1, 1] as [number, number], '1'],
    [null, ''],
  ])('%j → "%s"', (range, text) => expect(formatRankRange(range)).toBe(text));
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

describe('rankingBoard: what the ranking scene shows', () => {
  const ranked = (n: number, unranked = 0) => [
    ...Array.from({ length: n }, (_, i) => row(String(10000 + i), i + 1, 100 - i / 10)),
    ...Array.from({ length: unranked }, (_, i) => row(String(20000 + i), null, null)),
  ];

  it('40 units (Huế): all of them, 1–20 and 21–40, nothing left out', () => {
    const b = rankingBoard(ranked(40));
    expect(b.columns.map((c) => [c.title, c.rows.length, c.rows[0]?.rank])).toEqual([
      [null, 20, 1],
      [null, 20, 21],
    ]);
    expect(b.middle).toBeNull();
    expect(b.unranked).toBe(0);
  });

  it('168 units (Hồ Chí Minh City), 160 ranked: the top 20 and the bottom 20 ranked, the middle 120 and the 8 unranked counted', () => {
    const b = rankingBoard(ranked(160, 8));
    expect(b.columns.map((c) => c.title)).toEqual(['top', 'bottom']);
    expect(b.columns[0]!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(b.columns[1]!.rows.map((r) => r.rank)).toEqual(Array.from({ length: 20 }, (_, i) => 141 + i));
    expect(b.middle).toEqual({ from: 21, to: 140, count: 120 });
    expect(b.unranked).toBe(8);
  });

  it('126 units of which only 30 ranked: the 30 first, then 10 unranked, the other 86 counted', () => {
    const b = rankingBoard(ranked(30, 96));
    expect(b.columns.flatMap((c) => c.rows).map((r) => r.rank)).toEqual([...Array.from({ length: 30 }, (_, i) => i + 1), ...Array<null>(10).fill(null)]);
    expect(b.middle).toBeNull();
    expect(b.unranked).toBe(86);
  });
});
