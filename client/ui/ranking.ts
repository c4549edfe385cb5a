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

/** What the ranking scene shows: its columns (each with its heading, if any) and what it leaves out. */
export interface RankingBoard<T> {
  columns: { title: 'top' | 'bottom' | null; rows: T[] }[];
  /** The ranked units between the top and the bottom, not shown: from and to are ranks. */
  middle: { from: number; to: number; count: number } | null;
  /** Units without a rank that are not shown. */
  unranked: number;
}

/**
 * The ranking a leader reads from 5 m: up to `perColumn`×`columns` units all of them (Huế's 40, in
 * two columns); more (Hà Nội's 126, Hồ Chí Minh City's 168) the top `perColumn` and the bottom
 * `perColumn` ranked, at the same size, with the middle counted in a line. The rows stay as large
 * as Huế's: a third column or pages that turn would be smaller or gone before they are read.
 * `sorted` is sortRankingRows' order (ranked first).
 */
export function rankingBoard<T extends { rank: number | null }>(sorted: readonly T[], perColumn = 20, columns = 2): RankingBoard<T> {
  const room = perColumn * columns;
  if (sorted.length <= room) return { columns: toColumns(sorted, columns).map((rows) => ({ title: null, rows })), middle: null, unranked: 0 };
  const ranked = sorted.filter((r) => r.rank !== null);
  if (ranked.length < 2 * perColumn) {
    // Too few ranked for a top and a bottom: the ranked ones first, as many unranked as fit.
    return { columns: toColumns(sorted.slice(0, room), columns).map((rows) => ({ title: null, rows })), middle: null, unranked: sorted.length - room };
  }
  const top = ranked.slice(0, perColumn);
  const bottom = ranked.slice(-perColumn);
  const inside = ranked.slice(perColumn, ranked.length - perColumn);
  return {
    columns: [
      { title: 'top', rows: top },
      { title: 'bottom', rows: bottom },
    ],
    middle: inside.length === 0 ? null : { from: inside[0]!.rank!, to: inside[inside.length - 1]!.rank!, count: inside.length },
    unranked: sorted.length - ranked.length,
  };
}
