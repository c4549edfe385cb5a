import { For } from 'solid-js';

export interface TrendSeries {
  label: string;
  color: string;
  values: readonly number[];
}

const W = 360;
const H = 190;
const PAD = { left: 36, right: 6, top: 50, bottom: 24 };

/**
 * A small grouped bar chart of a week's days, drawn as plain SVG: it scales from a 1080p share to
 * the 4K wall without blur, and prints as vectors (a WebGL or canvas chart would print as a bitmap).
 */
export function TrendBars(props: { title: string; days: readonly string[]; dayLabels: readonly string[]; series: readonly TrendSeries[] }) {
  const max = () => Math.max(1, ...props.series.flatMap((s) => s.values));
  const step = () => (W - PAD.left - PAD.right) / Math.max(1, props.days.length);
  const barW = () => (step() * 0.8) / Math.max(1, props.series.length);
  const y = (v: number) => H - PAD.bottom - (v / max()) * (H - PAD.top - PAD.bottom);
  return (
    <figure class="bf-trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.title}>
        <text x={PAD.left} y={19} class="bf-trend__title">
          {props.title}
        </text>
        <For each={props.series}>
          {(s, si) => (
            <text x={PAD.left + si() * 150} y={40} class="bf-trend__legend" fill={s.color}>
              ■ {s.label}
            </text>
          )}
        </For>
        <line x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} class="bf-trend__axis" />
        <text x={PAD.left - 4} y={PAD.top + 4} class="bf-trend__tick" text-anchor="end">
          {max()}
        </text>
        <text x={PAD.left - 4} y={H - PAD.bottom} class="bf-trend__tick" text-anchor="end">
          0
        </text>
        <For each={props.series}>
          {(s, si) => (
            <For each={[...s.values]}>
              {(v, di) => <rect x={PAD.left + di() * step() + step() * 0.1 + si() * barW()} y={y(v)} width={barW() - 1} height={Math.max(0, H - PAD.bottom - y(v))} fill={s.color} />}
            </For>
          )}
        </For>
        <For each={[...props.dayLabels]}>
          {(d, di) => (
            <text x={PAD.left + di() * step() + step() / 2} y={H - 5} class="bf-trend__tick" text-anchor="middle">
              {d}
            </text>
          )}
        </For>
      </svg>
    </figure>
  );
}
