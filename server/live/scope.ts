import type { ChartData, Delta, LiveCountsPatch, Ranking, Snapshot } from '@shared/protocol';
import { provinceOfRole, provinceRole, wardOfRole, wardRole } from '@shared/roles';
import { situationPart } from '@shared/alerts';
import { wardByCode } from '@shared/wards';
import { anonymousIncident, anonymousReport } from '../domain/public-record';

/**
 * What a limited socket sees: one ward (`ward:<code>` users), the units of one province
 * (`province:<code>`), or, for a reader who has not signed in (IOC_PUBLIC_WALL, or no users), the
 * whole city with each report no more exact than Open311's public record of it (issue 19, item 9).
 */
export type LiveScope = { kind: 'ward'; code: string } | { kind: 'province'; code: string } | PublicScope;

/** The anonymous reader's scope; `description` is IOC_OPEN311_PUBLIC_DESCRIPTION. */
export interface PublicScope {
  kind: 'public';
  description: boolean;
}

/** The scope of a reader who has not signed in. */
export function publicScope(publishDescription: boolean): PublicScope {
  return { kind: 'public', description: publishDescription };
}

/** The room of anonymous walls. */
export const PUBLIC_ROOM = 'public';

/** The scope a role limits its holder to, or null for a city-wide role. */
export function scopeOfRole(role: string): LiveScope | null {
  const ward = wardOfRole(role);
  if (ward !== null) return { kind: 'ward', code: ward };
  const province = provinceOfRole(role);
  return province === null ? null : { kind: 'province', code: province };
}

/** A scope's socket room is named by the role of its users, so the name reads back with scopeOfRole. */
export function scopeRoom(scope: LiveScope): string {
  if (scope.kind === 'public') return PUBLIC_ROOM;
  return scope.kind === 'ward' ? wardRole(scope.code) : provinceRole(scope.code);
}

/** The scopes that cut the city by place. */
type PlaceScope = Exclude<LiveScope, PublicScope>;

/** The key a ward's items file under for scopes of this kind: the ward itself, or its province. */
function keyOf(kind: PlaceScope['kind'], ward: string | null): string | null {
  if (ward === null) return null;
  return kind === 'ward' ? ward : (wardByCode(ward)?.province ?? null);
}

function inScope(scope: PlaceScope, ward: string | null): boolean {
  return keyOf(scope.kind, ward) === scope.code;
}

function pickWards<T>(wards: Record<string, T>, scope: PlaceScope): Record<string, T> {
  if (scope.kind === 'ward') {
    const w = wards[scope.code];
    return w ? { [scope.code]: w } : {};
  }
  const out: Record<string, T> = {};
  for (const [code, w] of Object.entries(wards)) if (inScope(scope, code)) out[code] = w;
  return out;
}

/**
 * The ranking as a scope sees it. A ward user sees every row (the weekly meeting shows the whole
 * city's ranking to every ward); a province wall sees its own units' rows, with their national
 * ranks: the other provinces' thousands of rows are no use on it, and they were most of a province
 * wall's snapshot and of every frame that carried a new ranking (bench:scale).
 */
function scopeRanking(r: Ranking, scope: PlaceScope): Ranking {
  return scope.kind === 'ward' ? r : { ...r, rows: r.rows.filter((row) => inScope(scope, row.ward)) };
}

/**
 * What a limited user may see of a snapshot: the city's figures and the ranking (see scopeRanking),
 * but only its own wards' figures, items, alerts and chart bars.
 */
export function scopeSnapshot(s: Snapshot, scope: LiveScope): Snapshot {
  if (scope.kind === 'public') return { ...s, reports: s.reports.map((r) => anonymousReport(r, scope.description)), incidents: s.incidents.map(anonymousIncident) };
  const mine = (x: { ward: string | null }) => inScope(scope, x.ward);
  return {
    ...s,
    ranking: scopeRanking(s.ranking, scope),
    wards: pickWards(s.wards, scope),
    reports: s.reports.filter(mine),
    incidents: s.incidents.filter(mine),
    // A situation (a city alert) shows as the part of it in the scope's units.
    alerts: s.alerts.map((a) => (mine(a) ? a : a.source === 'situation' ? situationPart(a, (ward) => inScope(scope, ward)) : null)).filter((a) => a !== null),
    hotspots: s.hotspots.filter(mine),
    charts: { ...s.charts, dossiersByWard: s.charts.dossiersByWard.filter(mine) },
  };
}

/** One scope's share of a frame's per-ward parts. */
interface Share {
  wards: Record<string, LiveCountsPatch>;
  reports: NonNullable<Delta['reports']>;
  dossiers: NonNullable<Delta['dossiers']>;
  incidents: NonNullable<Delta['incidents']>;
  alerts: NonNullable<Delta['alerts']>;
  hotspots: NonNullable<Delta['hotspots']>;
  dossierBars: ChartData['dossiersByWard'];
  rankingRows: Ranking['rows'];
}

const emptyShare = (): Share => ({ wards: {}, reports: [], dossiers: [], incidents: [], alerts: [], hotspots: [], dossierBars: [], rankingRows: [] });

/**
 * One frame, cut for every scoped room. The frame's per-ward parts are filed by ward (or by province)
 * in one pass the first time a room of that kind asks, so a frame costs its items plus one small
 * object per room, not a filter of the whole frame per room: with 34 province rooms, or hundreds of
 * ward rooms, the per-room filter was the cost that grew.
 */
export class FrameScopes {
  private readonly shares = new Map<PlaceScope['kind'], Map<string, Share>>();
  /** The anonymous walls' cut, made once per frame (there is one public scope per server). */
  private publicCut: Delta | null = null;

  constructor(private readonly frame: Delta) {}

  /** The frame as `scope` sees it. It keeps its seqs (possibly with nothing else), so the scope's walls see no gap. */
  for(scope: LiveScope): Delta {
    const d = this.frame;
    if (scope.kind === 'public') return (this.publicCut ??= publicDelta(d, scope));
    const share = this.sharesOf(scope.kind).get(scope.code);
    const out: Delta = { type: 'delta', fromSeq: d.fromSeq, seq: d.seq, at: d.at };
    if (share && Object.keys(share.wards).length > 0) out.wards = share.wards;
    if (d.city) out.city = d.city;
    if (d.day) out.day = d.day;
    if (d.freshness) out.freshness = d.freshness;
    // Rows filed by province only: a ward scope keeps the whole ranking (see scopeRanking).
    if (d.ranking) out.ranking = scope.kind === 'ward' ? d.ranking : { ...d.ranking, rows: share?.rankingRows ?? [] };
    // The city-wide series stay; the per-ward dossier bars keep only the scope's own.
    if (d.charts) out.charts = { ...d.charts, dossiersByWard: share?.dossierBars ?? [] };
    if (d.period766) out.period766 = d.period766;
    if (share?.reports.length) out.reports = share.reports;
    if (share?.dossiers.length) out.dossiers = share.dossiers;
    if (share?.incidents.length) out.incidents = share.incidents;
    if (share?.alerts.length) out.alerts = share.alerts;
    // The open set is sent whole, so a scope's view of it is the filtered whole (possibly empty).
    if (d.hotspots) out.hotspots = share?.hotspots ?? [];
    return out;
  }

  private sharesOf(kind: PlaceScope['kind']): Map<string, Share> {
    let shares = this.shares.get(kind);
    if (shares) return shares;
    const made = new Map<string, Share>();
    const shareOf = (ward: string | null): Share | null => {
      const key = keyOf(kind, ward);
      if (key === null) return null;
      let s = made.get(key);
      if (!s) made.set(key, (s = emptyShare()));
      return s;
    };
    const d = this.frame;
    for (const [code, w] of Object.entries(d.wards ?? {})) {
      const s = shareOf(code);
      if (s) s.wards[code] = w;
    }
    for (const r of d.reports ?? []) shareOf(r.ward)?.reports.push(r);
    for (const x of d.dossiers ?? []) shareOf(x.ward)?.dossiers.push(x);
    for (const i of d.incidents ?? []) shareOf(i.ward)?.incidents.push(i);
    for (const a of d.alerts ?? []) {
      if (a.ward !== null || a.source !== 'situation') {
        shareOf(a.ward)?.alerts.push(a);
        continue;
      }
      // A situation goes to each scope its units lie in, as that scope's part of it.
      for (const key of new Set((a.evidence.units ?? []).map((u) => keyOf(kind, u.ward)))) {
        const part = key === null ? null : situationPart(a, (ward) => keyOf(kind, ward) === key);
        if (part) shareOf(part.evidence.units![0]!.ward)?.alerts.push(part);
      }
    }
    for (const h of d.hotspots ?? []) shareOf(h.ward)?.hotspots.push(h);
    for (const b of d.charts?.dossiersByWard ?? []) shareOf(b.ward)?.dossierBars.push(b);
    if (kind === 'province') for (const row of d.ranking?.rows ?? []) shareOf(row.ward)?.rankingRows.push(row);
    shares = made;
    this.shares.set(kind, shares);
    return shares;
  }
}

/** Every part of the frame, its reports and incidents as an anonymous reader may see them. */
function publicDelta(d: Delta, scope: PublicScope): Delta {
  const out: Delta = { ...d };
  if (d.reports) out.reports = d.reports.map((r) => anonymousReport(r, scope.description));
  if (d.incidents) out.incidents = d.incidents.map(anonymousIncident);
  return out;
}

/** A frame as the ward `ward` sees it (same seqs). */
export function scopeDelta(d: Delta, ward: string): Delta {
  return new FrameScopes(d).for({ kind: 'ward', code: ward });
}
