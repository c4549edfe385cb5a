/**
 * The province a server serves (IOC_PROVINCE; default 46, Huế): GET /api/v1/wards carries it as the
 * collection's `province` member, so a wall can title itself and fit the map without knowing the data.
 */
export interface Province {
  /** 2-digit official code, e.g. "01". */
  code: string;
  /** "Hà Nội". */
  name: string;
  /** "Thành phố Hà Nội" / "Tỉnh Lâm Đồng". */
  nameFull: string;
  /** thanh_pho: a centrally-run city; tinh: a province; ca_nuoc: the whole country (IOC_PROVINCE=all, code "all"). */
  type: 'thanh_pho' | 'tinh' | 'ca_nuoc';
  unitCount: number;
  areaKm2: number;
  /** The sum of its units' populations. */
  population: number;
  /** [minLng, minLat, maxLng, maxLat] of all its units. */
  bbox: [number, number, number, number];
  /** The same without the offshore units: what the map should fit. */
  mainlandBbox: [number, number, number, number];
  /** Codes of its units far offshore (Hoàng Sa, Trường Sa, Côn Đảo, Bạch Long Vĩ, Phú Quốc …), for an inset. */
  offshore: string[];
  /** The dense centre, for an inset: the extent of the cluster of its smallest units; null for the whole country. */
  coreBbox?: [number, number, number, number] | null;
  /** The units of that cluster (the inset's). */
  coreUnits?: string[];
}

// `export let`, as WARDS in ./wards.ts: the server installs the province at start (server/main.ts),
// before the modules that name it load; the client never does (it reads GET /api/v1/wards' `province`).

/** The province served, as the server's messages and documents name it: "Huế" until the server installs another. */
export let PROVINCE_NAME = 'Huế';
/** "Thành phố Huế" / "Tỉnh Lâm Đồng". */
export let PROVINCE_NAME_FULL = 'Thành phố Huế';

/** Names the province served in the server's messages, documents and exports (once, at start). */
export function installProvinceName(p: Pick<Province, 'name' | 'nameFull'>): void {
  PROVINCE_NAME = p.name;
  PROVINCE_NAME_FULL = p.nameFull;
}
