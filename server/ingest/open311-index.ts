import type { Report } from '@shared/schemas';
import { reportTimes } from '../domain/kpis';
import type { ChangeLog, UpsertResult } from '../store/store';

/**
 * The reports' ids ordered by the time each was made (`createdAt`), so a public `GET requests`
 * walks its window from the newest end and stops at its limit instead of scanning every report
 * ever held. Two parallel arrays (16 bytes a report) sorted by (time, id); a report comes in
 * almost always newest, so an insert is nearly always an append.
 */
export class ReportTimeIndex {
  private readonly times: number[] = [];
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** Loads many at once (the store's reports at start): one sort instead of an insert each. */
  static of(entries: Iterable<{ id: string; ms: number }>): ReportTimeIndex {
    const sorted = [...entries].sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const index = new ReportTimeIndex();
    for (const e of sorted) {
      index.times.push(e.ms);
      index.ids.push(e.id);
    }
    return index;
  }

  /** Records a report made at `ms`; `previousMs`, when it had another time before (a corrected createdAt), is dropped. */
  set(id: string, ms: number, previousMs?: number): void {
    if (previousMs === ms) return;
    if (previousMs !== undefined) this.remove(id, previousMs);
    const at = this.position(ms, id);
    if (this.times[at] === ms && this.ids[at] === id) return;
    this.times.splice(at, 0, ms);
    this.ids.splice(at, 0, id);
  }

  private remove(id: string, ms: number): void {
    const at = this.position(ms, id);
    if (this.times[at] === ms && this.ids[at] === id) {
      this.times.splice(at, 1);
      this.ids.splice(at, 1);
    }
  }

  /** The first position whose (time, id) is not before (ms, id). */
  private position(ms: number, id: string): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.times[mid]!;
      if (t < ms || (t === ms && this.ids[mid]! < id)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The ids made in [fromMs, toMs], newest first (equal times by id, last first). */
  *newestFirst(fromMs: number, toMs: number): Generator<{ id: string; ms: number }> {
    // The first position past toMs, whatever its id.
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= toMs) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && this.times[i]! >= fromMs; i--) yield { id: this.ids[i]!, ms: this.times[i]! };
  }
}

/** Keeps an index of the store's reports: filled from what the store holds now, then from its change log. */
export function indexStoreReports(store: Pick<ChangeLog, 'onEntry'> & { items(kind: 'report'): Iterable<Report> }): ReportTimeIndex {
  const index = ReportTimeIndex.of([...store.items('report')].map((r) => ({ id: r.id, ms: reportTimes(r).createdMs })));
  const apply = (changes: readonly UpsertResult<'report'>[]) => {
    for (const c of changes) index.set(c.item.id, reportTimes(c.item).createdMs, c.previous ? reportTimes(c.previous).createdMs : undefined);
  };
  // Subscribed in the same turn as the fill: no change can fall between the two.
  store.onEntry((e) => {
    if (e.type === 'items' && e.kind === 'report') apply(e.changes as UpsertResult<'report'>[]);
    else if (e.type === 'resync') for (const c of e.changes) if (c.kind === 'report') apply(c.changes as UpsertResult<'report'>[]);
  });
  return index;
}
