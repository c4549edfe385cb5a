import { createMemo, For } from 'solid-js';
import { geometryBbox, makeProjection, padBbox, svgPath } from '../map/geo';
import type { WardCollection } from '../map/wards-source';

const W = 400;
const H = 300;

/**
 * The ward and its neighbours as SVG, the ward bright and the neighbours dimmed: the print view's
 * map. WebGL canvases print as blurry bitmaps or not at all; vectors print crisp and never split.
 */
export function WardOutline(props: { collection: WardCollection; ward: string; name: string }) {
  const shapes = createMemo(() => {
    const feature = props.collection.features.find((f) => f.properties.code === props.ward);
    if (!feature) return [];
    const project = makeProjection(padBbox(geometryBbox(feature.geometry), 0.15), W, H);
    const near = new Set(feature.properties.neighbors ?? []);
    return props.collection.features
      .filter((f) => near.has(f.properties.code) || f.properties.code === props.ward)
      .map((f) => ({ code: f.properties.code, d: svgPath(f.geometry, project), focus: f.properties.code === props.ward }))
      .sort((a, b) => Number(a.focus) - Number(b.focus));
  });
  return (
    <svg class="outline" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.name} data-testid={`outline-${props.ward}`}>
      <rect width={W} height={H} class="outline__sea" />
      <For each={shapes()}>{(s) => <path d={s.d} class={s.focus ? 'outline__ward' : 'outline__neighbour'} />}</For>
    </svg>
  );
}
