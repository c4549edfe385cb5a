import type { WardCollection } from '@shared/wards';
import { geometryBbox, makeProjection } from './geo';
import type { BBox } from './geo';

/** One inset of the wall's map: what it fits and the units it is there for. */
export interface Inset {
  bbox: BBox;
  codes: string[];
}

/** How the wall's map shows a province, worked out from its units alone (nothing hard-coded per province). */
export interface ProvinceView {
  /** What the main map fits: the province without its far offshore units. */
  main: BBox;
  /** The dense centre, drawn again larger: the biggest cluster of units too small for their names on the main map; null when none is. */
  core: Inset | null;
  /** The far offshore units (Hoàng Sa, Trường Sa, Côn Đảo, Phú Quốc …), which the main map leaves out; null when there are none. */
  offshore: Inset | null;
}

/** The main map's pane is about this much wider than tall (64 % of a 16:9 wall beside the tiles, under the header). */
export const MAIN_MAP_ASPECT = 1.36;
/** A unit is too small for its name on the main map when it is narrower than this share of the map's height (a name is about 6 % of it wide). */
export const SMALL_UNIT_SHARE = 0.06;
/** A name's width, as a share of the map's height (a ten-letter name at the wall's label size). */
export const NAME_SHARE = 0.09;
/** The inset is about this share of the main map's width and height (styles.css, .map-inset). */
export const INSET_SHARE = 0.36;
/** An inset that would magnify less than this is not worth the corner it covers: the core is cut down to the densest units until it does. */
export const MIN_CORE_ZOOM = 2.2;
/** Nor is the centre magnified more than this: the inset must still show where it lies. */
export const MAX_CORE_ZOOM = 5;

const KM_PER_DEG_LAT = 110.6;

/** [width, height] of a box in km (longitude scaled by its mid-latitude). */
export function boxKm(b: BBox): [number, number] {
  const kx = Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180);
  return [Math.max(1e-6, (b[2] - b[0]) * kx * 111.32), Math.max(1e-6, (b[3] - b[1]) * KM_PER_DEG_LAT)];
}

/** How many map heights one km is when `b` is fitted into a pane `aspect` times wider than tall. */
function heightsPerKm(b: BBox, aspect: number): number {
  const [w, h] = boxKm(b);
  return Math.min(aspect / w, 1 / h);
}

/** Islands' box with room for their names: a fifth of its size on each side, and at least 5 km. */
function roomAround(b: BBox): BBox {
  const kx = Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180) * 111.32;
  const dx = Math.max((b[2] - b[0]) * 0.2, 5 / kx);
  const dy = Math.max((b[3] - b[1]) * 0.2, 5 / KM_PER_DEG_LAT);
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

export function unionBbox(boxes: readonly BBox[]): BBox {
  return [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
}

/**
 * The province's view: the main map fits the province served (its mainland extent when the server
 * names it, else the units' extent without the offshore ones); the core inset is the largest group of
 * neighbouring units each too small for its name at that scale, cut down to its densest part until
 * the inset magnifies at least MIN_CORE_ZOOM times; the offshore inset fits the offshore units.
 */
export function provinceView(coll: WardCollection): ProvinceView {
  const offshoreCodes = new Set(coll.province?.offshore ?? []);
  const boxes = new Map(coll.features.map((f) => [f.properties.code, geometryBbox(f.geometry)]));
  const land = coll.features.filter((f) => !offshoreCodes.has(f.properties.code));
  const main: BBox = coll.province?.mainlandBbox ?? unionBbox(land.map((f) => boxes.get(f.properties.code)!));
  const offshoreFeatures = coll.features.filter((f) => offshoreCodes.has(f.properties.code));
  const offshore: Inset | null =
    offshoreFeatures.length === 0 ? null : { bbox: roomAround(unionBbox(offshoreFeatures.map((f) => boxes.get(f.properties.code)!))), codes: offshoreFeatures.map((f) => f.properties.code) };

  // Too small for its name: a unit's width (a circle's of its area) against the map's height.
  const scale = heightsPerKm(main, MAIN_MAP_ASPECT);
  const areaOf = (f: (typeof land)[number]) => {
    const [w, h] = boxKm(boxes.get(f.properties.code)!);
    return f.properties.areaKm2 ?? (w * h) / 2;
  };
  const small = new Map(land.filter((f) => 2 * Math.sqrt(areaOf(f) / Math.PI) * scale < SMALL_UNIT_SHARE).map((f) => [f.properties.code, f]));

  // Groups of small units that share a boundary (or, without neighbours in the data, whose extents touch).
  const touches = (a: string, b: string) => {
    const x = boxes.get(a)!;
    const y = boxes.get(b)!;
    return x[0] <= y[2] && y[0] <= x[2] && x[1] <= y[3] && y[1] <= x[3];
  };
  const seen = new Set<string>();
  const groups: string[][] = [];
  for (const code of small.keys()) {
    if (seen.has(code)) continue;
    const group: string[] = [];
    const queue = [code];
    seen.add(code);
    while (queue.length > 0) {
      const c = queue.pop()!;
      group.push(c);
      const next = small.get(c)?.properties.neighbors ?? [...small.keys()].filter((o) => o !== c && touches(c, o));
      for (const n of next) {
        if (!small.has(n) || seen.has(n)) continue;
        seen.add(n);
        queue.push(n);
      }
    }
    groups.push(group);
  }
  groups.sort((a, b) => b.length - a.length);
  let core = groups[0] ?? [];
  if (core.length < 3) return { main, core: null, offshore };

  // Cut the group to its densest part (around its smallest units) until the inset magnifies enough.
  const centreOf = (codes: readonly string[]): [number, number] => {
    // Weighted by 1/area: the smallest units pull the centre towards the heart of the city.
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (const c of codes) {
      const f = small.get(c)!;
      const b = boxes.get(c)!;
      const [x, y] = f.properties.center ?? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
      const w = 1 / Math.max(0.05, areaOf(f));
      sx += x * w;
      sy += y * w;
      sw += w;
    }
    return [sx / sw, sy / sw];
  };
  const zoomOf = (b: BBox) => heightsPerKm(b, MAIN_MAP_ASPECT) / scale * INSET_SHARE;
  // The magnification at which the group's typical unit is as wide as its name: Huế's old city's
  // wards are large enough at MIN_CORE_ZOOM; Hồ Chí Minh City's inner wards need about twice that.
  const widths = core.map((c) => 2 * Math.sqrt(areaOf(small.get(c)!) / Math.PI)).sort((a, b) => a - b);
  const typical = widths[Math.floor(widths.length / 2)] ?? 1;
  const target = Math.min(MAX_CORE_ZOOM, Math.max(MIN_CORE_ZOOM, NAME_SHARE / (typical * scale)));
  let bbox = unionBbox(core.map((c) => boxes.get(c)!));
  while (zoomOf(bbox) < target && core.length > 3) {
    const [cx, cy] = centreOf(core);
    const kx = Math.cos((cy * Math.PI) / 180);
    const far = (c: string) => {
      const b = boxes.get(c)!;
      return Math.max(Math.abs(b[0] - cx) * kx, Math.abs(b[2] - cx) * kx, Math.abs(b[1] - cy), Math.abs(b[3] - cy));
    };
    core = [...core].sort((a, b) => far(a) - far(b)).slice(0, -1);
    bbox = unionBbox(core.map((c) => boxes.get(c)!));
  }
  if (zoomOf(bbox) < MIN_CORE_ZOOM / 2) return { main, core: null, offshore };
  const zoomNow = zoomOf(bbox);
  // A small group is shown with its surroundings, no closer than the target: the inset then names
  // the units around the heart of the city too (Huế's shows the old city, as the hand-drawn one did).
  if (zoomNow > target) {
    const grow = zoomNow / target;
    const [cx, cy] = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
    const [w, h] = boxKm(bbox);
    // Grown to the inset's own shape, so the fit uses all of it.
    const side = Math.max(w, h * MAIN_MAP_ASPECT) * grow;
    const kx = Math.cos((cy * Math.PI) / 180) * 111.32;
    const dx = side / 2 / kx;
    const dy = side / MAIN_MAP_ASPECT / 2 / KM_PER_DEG_LAT;
    bbox = [cx - dx, cy - dy, cx + dx, cy + dy];
  }
  const codes = land.filter((f) => {
    const c = f.properties.center;
    return c !== undefined && c[0] >= bbox[0] && c[0] <= bbox[2] && c[1] >= bbox[1] && c[1] <= bbox[3];
  });
  return { main, core: { bbox, codes: codes.map((f) => f.properties.code) }, offshore };
}

/** Where an inset sits on the main map (bottom-left is the legend's). */
export type Corner = 'top-right' | 'top-left' | 'bottom-right';
/** In order of preference when two corners cover as much. */
export const INSET_CORNERS: readonly Corner[] = ['top-right', 'top-left', 'bottom-right'];
/** The offshore inset is smaller than the core's: it shows a few islands and their names. */
export const OFFSHORE_INSET_SHARE = 0.26;

/** Room kept free on a side of the main map, as a share of its width or height. */
export type FitMargin = Partial<Record<'top' | 'right' | 'bottom' | 'left', number>>;

export interface InsetLayout {
  core: Corner;
  offshore: Corner;
  /** Where the main map keeps room for the insets (none: they sit over the sea or the emptiest corner). */
  margin: FitMargin;
  /** The insets stack in a strip of their own: the core's takes its full height (the offshore one's less). */
  strip: boolean;
}

/** The legend's corner of the main map, [width, height] as shares of it (styles.css, .legend). */
export const LEGEND_SHARE: readonly [number, number] = [0.23, 0.13];
/** The main map gives up at most this much of its scale to keep the insets off the province. */
export const MIN_SCALE_KEPT = 0.8;

/**
 * Where the insets go. A province narrower than the map (Hà Nội, Hồ Chí Minh City) is fitted beside
 * a strip on the right that the insets stack in, covering none of it, when that costs the main map at
 * most 1 - MIN_SCALE_KEPT of its scale; a wider one (Huế) keeps its full size and the insets take the
 * corners covering fewest of its units (the core inset's own units count a quarter: it shows them),
 * the offshore one on the islands' side when two corners are level.
 */
export function insetLayout(coll: WardCollection, view: ProvinceView): InsetLayout {
  const [bw, bh] = boxKm(view.main);
  const full = Math.min(MAIN_MAP_ASPECT / bw, 1 / bh);
  const strip = Math.max(view.core ? INSET_SHARE : 0, view.offshore ? OFFSHORE_INSET_SHARE : 0);
  const H = 1000;
  const W = H * MAIN_MAP_ASPECT;
  const offshore = new Set(view.offshore?.codes ?? []);
  const inCore = new Set(view.core?.codes ?? []);
  const land = coll.features.filter((f) => !offshore.has(f.properties.code));
  // The legend's corner (bottom-left): a province reaching into it is lifted clear of it.
  const underLegend = (right: number) => {
    const project = makeProjection(view.main, W * (1 - right), H);
    return land.some((f) => {
      const [x, y] = project(f.properties.center);
      return x <= LEGEND_SHARE[0] * W && y >= (1 - LEGEND_SHARE[1]) * H;
    });
  };
  if (strip > 0 && Math.min((MAIN_MAP_ASPECT * (1 - strip)) / bw, 1 / bh) >= MIN_SCALE_KEPT * full) {
    const right = strip + 0.02;
    return { core: 'top-right', offshore: 'bottom-right', margin: { right, ...(underLegend(right) ? { bottom: LEGEND_SHARE[1] } : {}) }, strip: true };
  }
  const project = makeProjection(view.main, W, H);
  const points = land.map((f) => ({ at: project(f.properties.center), weight: inCore.has(f.properties.code) ? 0.25 : 1 }));
  const covered = (corner: Corner, share: number) => {
    const left = corner === 'top-left' ? 0 : W * (1 - share);
    const top = corner === 'bottom-right' ? H * (1 - share) : 0;
    return points.reduce((sum, p) => sum + (p.at[0] >= left && p.at[0] <= left + W * share && p.at[1] >= top && p.at[1] <= top + H * share ? p.weight : 0), 0);
  };
  const best = (corners: readonly Corner[], share: number, bias: (c: Corner) => number) =>
    corners.reduce((a, b) => (covered(b, share) + bias(b) < covered(a, share) + bias(a) ? b : a));
  const core = best(INSET_CORNERS, INSET_SHARE, () => 0);
  const east = view.offshore ? (view.offshore.bbox[0] + view.offshore.bbox[2]) / 2 >= (view.main[0] + view.main[2]) / 2 : true;
  const offshoreCorner = best(
    INSET_CORNERS.filter((c) => c !== core),
    OFFSHORE_INSET_SHARE,
    (c) => ((c === 'top-left') === east ? 0.5 : 0),
  );
  return { core, offshore: offshoreCorner, margin: underLegend(0) ? { bottom: LEGEND_SHARE[1] } : {}, strip: false };
}

/**
 * The core inset refitted to a pane of another shape (a strip down the map's side: `width` a share of
 * the main map's width, `height` of its height) at the same magnification, around the same centre:
 * fitted as it was, a tall pane would show the box's width and far more above and below it, at half
 * the size. Its units are those whose label point the new box holds.
 */
export function coreForPane(coll: WardCollection, view: ProvinceView, width: number, height: number): Inset | null {
  if (!view.core) return null;
  const b = view.core.bbox;
  const perKm = heightsPerKm(b, MAIN_MAP_ASPECT) * INSET_SHARE;
  const wKm = (width * MAIN_MAP_ASPECT) / perKm;
  const hKm = height / perKm;
  const [cx, cy] = [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2];
  const dx = wKm / 2 / (Math.cos((cy * Math.PI) / 180) * 111.32);
  const dy = hKm / 2 / KM_PER_DEG_LAT;
  const bbox: BBox = [cx - dx, cy - dy, cx + dx, cy + dy];
  const offshore = new Set(view.offshore?.codes ?? []);
  const codes = coll.features
    .filter((f) => !offshore.has(f.properties.code) && f.properties.center[0] >= bbox[0] && f.properties.center[0] <= bbox[2] && f.properties.center[1] >= bbox[1] && f.properties.center[1] <= bbox[3])
    .map((f) => f.properties.code);
  return { bbox, codes };
}
