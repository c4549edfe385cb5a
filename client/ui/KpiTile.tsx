import { For, Show } from 'solid-js';
import type { Trend } from './trend';

/** One trend line under a tile's value: "▲ 12 so với hôm qua". */
export interface TileTrend {
  /** `data-testid="tile-<name>-trend-<key>"`. */
  key: 'yesterday' | 'last-week';
  label: string;
  trend: Trend | null;
  /** The formatted delta ("▲ 12"); ignored when `trend` is null. */
  text: string;
}

export interface KpiTileProps {
  /** Used in `data-testid="tile-<name>"`; stable across languages. */
  name: string;
  label: string;
  value: string;
  /** Written small after the value, outside its test id (e.g. "/ 82" for 766 points). */
  suffix?: string;
  /** Greys the value out: it is the last one known, not a live one. */
  stale: boolean;
  /** Draws the value in the alarm colour (e.g. late dossiers above zero). */
  alarm?: boolean;
  trends?: readonly TileTrend[];
  /** Written under the value instead of trends: the period a figure covers (e.g. "Tháng 11 đến nay"). */
  period?: string;
}

export function KpiTile(props: KpiTileProps) {
  return (
    <section class="tile" classList={{ 'tile--stale': props.stale, 'tile--alarm': !!props.alarm }} data-testid={`tile-${props.name}`}>
      <h2 class="tile__label">{props.label}</h2>
      <div class="tile__figure">
        <span class="tile__value" data-testid={`tile-${props.name}-value`}>
          {props.value}
        </span>
        <Show when={props.suffix}>
          <span class="tile__suffix">{props.suffix}</span>
        </Show>
      </div>
      <Show when={props.period}>
        <div class="tile__period" data-testid={`tile-${props.name}-period`}>
          {props.period}
        </div>
      </Show>
      <Show when={props.trends?.length}>
        <div class="tile__trends">
          <For each={props.trends}>
            {(t) => (
              <div
                class={`trend trend--${t.trend?.tone ?? 'none'}`}
                data-testid={`tile-${props.name}-trend-${t.key}`}
                data-tone={t.trend?.tone ?? 'none'}
                data-arrow={t.trend?.arrow ?? ''}
              >
                <span class="trend__delta">{t.trend ? t.text : '—'}</span>
                <span class="trend__label">{t.label}</span>
              </div>
            )}
          </For>
        </div>
      </Show>
    </section>
  );
}
