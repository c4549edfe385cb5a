import type { RankingRow } from '@shared/protocol';
import { wardByCode } from '@shared/wards';

/**
 * The ranking as the wall lists it: by rank (ties share one, then by score and name), wards
 * without a score last. The server ranks; the wall only orders what it was sent, so a delta that
 * reorders the rows cannot leave two lists disagreeing.
 */
export function sortRankingRows(rows: readonly RankingRow[]): RankingRow[] {
  const name = (code: string) => wardByCode(code)?.name ?? code;
  return [...rows].sort((a, b) => {
    const ra = a.rank ?? Number.POSITIVE_INFINITY;
    const rb = b.rank ?? Number.POSITIVE_INFINITY;
    if (ra !== rb) return ra - rb;
    const sa = a.score ?? Number.NEGATIVE_INFINITY;
    const sb = b.score ?? Number.NEGATIVE_INFINITY;
    if (sa !== sb) return sb - sa;
    return name(a.ward).localeCompare(name(b.ward), 'vi');
  });
}

export interface RankChange {
  /** "▲3", "▼", "=" (no change beyond noise), or "—" when there is nothing to compare with. */
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

/**
 * The change vs last week as the wall draws it: ▲/▼ only for a real movement (the server's
 * `movement`, docs/figures.md, "The published ranking"), with the places gained or lost when the rank moved
 * the same way; a rank that shifted within the noise is "=", so a leader reads no news into it.
 */
export function rankChange(row: Pick<RankingRow, 'rank' | 'previousRank' | 'movement'>): RankChange {
  if (row.rank === null || row.previousRank === null) return { text: '—', tone: 'neutral' };
  const up = row.previousRank - row.rank;
  if (row.movement === 'up') return { text: up > 0 ? `▲${up}` : '▲', tone: 'good' };
  if (row.movement === 'down') return { text: up < 0 ? `▼${-up}` : '▼', tone: 'bad' };
  return { text: '=', tone: 'neutral' };
}

/** "3–9", or "3" when the range is a single place; "" without one. */
export function formatRankRange(range: RankingRow['rankRange']): string {
  if (!range) return '';
  return range[0] === range[1] ? String(range[0]) : `${range[0]}–${range[1]}`;
}

/** Splits the list into `count` columns filled top to bottom (1–20 left, 21–40 right). */
export function toColumns<T>(items: readonly T[], count: number): T[][] {
  const per = Math.ceil(items.length / Math.max(1, count));
  const cols: T[][] = [];
  for (let i = 0; i < count; i++) cols.push(items.slice(i * per, (i + 1) * per));
  return cols;
}
