import { createResource } from 'solid-js';
import type { Resource } from 'solid-js';
import { installWardRegistry, toAscii } from '@shared/wards';
import type { Ward, WardCollection } from '@shared/wards';
import type { Province } from '@shared/province';
import { HUE_BOUNDS } from './geo';
import type { BBox } from './geo';

/** Where the units' boundaries are served (public; no session needed). */
export const WARDS_URL = '/api/v1/wards';

export type { WardCollection };

/** GET /api/v1/wards: the boundaries of the units served, with their registry facts and the province. */
export async function fetchWardCollection(signal?: AbortSignal): Promise<WardCollection> {
  const res = await fetch(WARDS_URL, signal ? { signal } : {});
  if (!res.ok) throw new Error(`${WARDS_URL}: HTTP ${res.status}`);
  return (await res.json()) as WardCollection;
}

let loading: Promise<WardCollection> | null = null;
let served: WardCollection | null = null;

/**
 * The collection, fetched once per page and shared: the wall's maps, its scenes and the registry all
 * read the same copy (Hồ Chí Minh City's 168 boundaries are parsed once, not once per map). A failed
 * load is forgotten, so the next caller tries again.
 */
export function loadWardCollection(): Promise<WardCollection> {
  loading ??= fetchWardCollection().then(
    (c) => (served = c),
    (err: unknown) => {
      loading = null;
      throw err;
    },
  );
  return loading;
}

/** Where the 34 provinces' outlines are served (public): the national wall draws them over its communes. */
export const PROVINCE_OUTLINES_URL = '/api/v1/provinces/outlines';

/** GET /api/v1/provinces/outlines: each province's outline (properties code and name). */
export async function fetchProvinceOutlines(signal?: AbortSignal): Promise<GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, { code: string; name: string }>> {
  const res = await fetch(PROVINCE_OUTLINES_URL, signal ? { signal } : {});
  if (!res.ok) throw new Error(`${PROVINCE_OUTLINES_URL}: HTTP ${res.status}`);
  return (await res.json()) as GeoJSON.FeatureCollection<GeoJSON.MultiPolygon, { code: string; name: string }>;
}

/** The collection once loaded (loadWardCollection), else null. */
export function servedWards(): WardCollection | null {
  return served;
}

/** The province the server serves, once the collection is loaded; null for a custom registry or before. */
export function servedProvince(): Province | null {
  return served?.province ?? null;
}

/** What a map of the whole province fits: its mainland (the server's province), else Huế's. */
export function homeBounds(): BBox {
  return servedProvince()?.mainlandBbox ?? HUE_BOUNDS;
}

/** The collection's units as the registry's wards (the collection carries every fact the pages read). */
export function wardsOf(c: WardCollection): Ward[] {
  return c.features.map(({ properties: p }) => ({
    code: p.code,
    name: p.name,
    nameFull: p.nameFull,
    nameAscii: p.nameAscii ?? toAscii(p.name),
    type: p.type,
    areaKm2: p.areaKm2 ?? 0,
    population: p.population ?? 0,
    adminCenter: '',
    center: p.center,
    neighbors: p.neighbors ?? [],
  }));
}

/**
 * Loads the collection and installs its units as the page's registry (shared/wards: wardByCode,
 * WARDS), so names, centres and lists follow the province served rather than the bundled Huế.
 * A page calls it before it renders; if the load fails the bundled registry stays (the maps retry).
 */
export async function installServedRegistry(): Promise<WardCollection | null> {
  try {
    const c = await loadWardCollection();
    if (c.features.length > 0) installWardRegistry(wardsOf(c));
    return c;
  } catch (err) {
    console.warn('ward registry not loaded', err);
    return null;
  }
}

/** The boundaries as a resource for a page's components: undefined until they have arrived. */
export function createWardCollection(): Resource<WardCollection> {
  const [wards] = createResource(() => loadWardCollection());
  return wards;
}
