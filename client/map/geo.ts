
/** [west, south, east, north] in degrees. */
export type BBox = [number, number, number, number];

/** Huế's 40 units (from the bundled boundaries). */
export const HUE_BOUNDS: BBox = [107.03, 15.99, 108.2, 16.75];

/**
 * The dense urban core (old Huế city): its wards are a few hundred pixels across at city scale,
 * too small for their names, so the wall shows them again in an inset.
 */
export const HUE_CORE_BOUNDS: BBox = [107.515, 16.405, 107.675, 16.54];

function rings(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): GeoJSON.Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

export function geometryBbox(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings(g)) {
    for (const [x, y] of ring) {
      if (x === undefined || y === undefined) continue;
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x);
      box[3] = Math.max(box[3], y);
    }
  }
  return box;
}

export function insideBbox([lng, lat]: [number, number], box: BBox): boolean {
  return lng >= box[0] && lng <= box[2] && lat >= box[1] && lat <= box[3];
}

/** A bbox grown by `share` of its size on every side (room around a ward). */
export function padBbox(box: BBox, share: number): BBox {
  const dx = (box[2] - box[0]) * share;
  const dy = (box[3] - box[1]) * share;
  return [box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy];
}

/**
 * A projection of `box` into a `width`×`height` picture, north up, the box centred and as large as
 * fits. Equirectangular with the longitude scaled by cos(latitude): at Huế's size (100 km) the
 * difference from Web Mercator is far below a pixel.
 */
export function makeProjection(box: BBox, width: number, height: number): (p: GeoJSON.Position) => [number, number] {
  const midLat = ((box[1] + box[3]) / 2) * (Math.PI / 180);
  const kx = Math.cos(midLat);
  const w = Math.max(1e-9, (box[2] - box[0]) * kx);
  const h = Math.max(1e-9, box[3] - box[1]);
  const scale = Math.min(width / w, height / h);
  const ox = (width - w * scale) / 2;
  const oy = (height - h * scale) / 2;
  return ([x = 0, y = 0]) => [ox + (x - box[0]) * kx * scale, oy + (box[3] - y) * scale];
}

/** SVG path data of a polygon under a projection, rounded to 0.1 px to keep print files small. */
export function svgPath(g: GeoJSON.Polygon | GeoJSON.MultiPolygon, project: (p: GeoJSON.Position) => [number, number]): string {
  const r = (n: number) => Math.round(n * 10) / 10;
  return rings(g)
    .map((ring) =>
      ring
        .map((p, i) => {
          const [x, y] = project(p);
          return `${i === 0 ? 'M' : 'L'}${r(x)} ${r(y)}`;
        })
        .join('') + 'Z',
    )
    .join('');
}
