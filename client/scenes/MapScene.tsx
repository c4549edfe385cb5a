import { For, Show } from 'solid-js';
import type { Accessor } from 'solid-js';
import { INCIDENT_SEVERITIES } from '@shared/categories';
import type { I18n } from '../i18n/wall';
import { FILL_KPIS, fillValues } from '../map/fill-kpis';
import type { FillKpiId } from '../map/fill-kpis';
import { SEVERITY_COLORS } from '../map/layers/incident-points';
import { HUE_BOUNDS, HUE_CORE_BOUNDS } from '../map/geo';
import { coreForPane, insetLayout, INSET_SHARE, OFFSHORE_INSET_SHARE, provinceView } from '../map/province-view';
import type { InsetLayout, ProvinceView } from '../map/province-view';
import { servedWards } from '../map/wards-source';
import { WardMap } from '../map/WardMap';
import { WARD_FILL_EMPTY, WARD_FILL_STEPS, wardFillMax } from '../map/ward-fill';
import type { WardFillOptions } from '../map/ward-fill';
import type { LiveStore } from '../stores/live-store';
import type { ActiveWarning } from '../warnings/active-warnings';
import { AlertList } from '../ui/AlertList';
import { KpiTile } from '../ui/KpiTile';
import type { TileTrend } from '../ui/KpiTile';
import { CITY_TILES, formatFigure, index766TileView, tileView } from '../ui/kpi-tiles';
import { formatTrend } from '../ui/trend';
import type { FigureKind, Trend } from '../ui/trend';

export interface MapSceneProps {
  i18n: I18n;
  live: LiveStore;
  /** Which KPI colours the wards. */
  fill: Accessor<FillKpiId>;
  /** CAP warnings in force, drawn over the wards. @default none */
  warnings?: Accessor<readonly ActiveWarning[]>;
}

/** An inset's box has its margin already: the map fits it with only a little room more. */
const INSET_PADDING_PX = 8;

/** The province's view from the units served; Huế's hand-drawn one if they could not be loaded. */
function viewOfServed(): { view: ProvinceView; corners: InsetLayout } {
  const coll = servedWards();
  if (!coll || coll.features.length === 0) return { view: { main: HUE_BOUNDS, core: { bbox: HUE_CORE_BOUNDS, codes: [] }, offshore: null }, corners: { core: 'top-right', offshore: 'bottom-right', margin: {}, strip: false } };
  const view = provinceView(coll);
  const corners = insetLayout(coll, view);
  if (!corners.strip) return { view, corners };
  // In a strip down the side the centre inset is tall (styles.css, .core-inset--strip): its box is
  // reshaped to match, at the same magnification. The heights leave room for the gaps and the attribution.
  const height = view.offshore ? 1 - OFFSHORE_INSET_SHARE - 0.08 : 0.93;
  return { view: { ...view, core: coreForPane(coll, view, INSET_SHARE, height) }, corners };
}

/**
 * The city at a glance: map of the 40 wards on the left, live KPI tiles and alerts on the right.
 * The 24-hour category list gave its place to the alerts: the charts scene shows the category mix.
 */
export function MapScene(props: MapSceneProps) {
  const { i18n, live } = props;
  const data = () => live.state.data;
  const kpi = () => FILL_KPIS[props.fill()];
  const values = () => fillValues(kpi(), data()?.wards ?? {});
  // Rates are on a fixed 0–100 % scale, where 0 % is a (bad) figure, not an empty ward.
  const fillOptions = (): WardFillOptions => {
    const k = kpi();
    return k.fixedMax === undefined ? {} : { max: k.fixedMax, zeroIsValue: true };
  };
  const legendMax = () => formatFigure(wardFillMax(values(), fillOptions()), kpi().kind, i18n.locale);
  const alerts = () => data()?.alerts ?? [];
  // Fitted to the province served: its mainland on the main map, its dense centre and its far islands in insets.
  const { view, corners } = viewOfServed();
  const offshoreNames = () =>
    (view.offshore?.codes ?? [])
      .map((c) => servedWards()?.features.find((f) => f.properties.code === c)?.properties)
      .map((p) => (p ? (i18n.lang === 'vi' ? p.nameFull : (p.nameAscii ?? p.name)) : ''))
      .join(' · ');
  const line = (key: TileTrend['key'], label: string, trend: Trend | null, kind: FigureKind): TileTrend => ({
    key,
    label,
    trend,
    text: trend ? formatTrend(trend, kind, i18n.locale) : '',
  });

  // What every map of the scene draws (the province, its centre inset, its far islands): one set.
  const layers = {
    wardValues: values,
    fillOptions,
    alerts,
    reports: () => data()?.reports ?? [],
    incidents: () => data()?.incidents ?? [],
    warnings: () => props.warnings?.() ?? [],
  };

  return (
    <div class="map-scene">
      <div class="wall__map">
        <WardMap
          i18n={i18n}
          bounds={view.main}
          fitMargin={corners.margin}
          insetWards={view.core?.codes ?? []}
          hideCrowdedLabels
          {...layers}
        />
        <Show when={view.core}>
          {(core) => (
            <div
              class={`core-inset core-inset--${corners.core}`}
              classList={{ 'core-inset--strip': corners.strip, 'core-inset--above-offshore': corners.strip && view.offshore !== null }}
              data-testid="core-inset"
              data-corner={corners.core}
            >
              <div class="core-inset__title">{i18n.t('coreInset')}</div>
              <WardMap
                i18n={i18n}
                bounds={core().bbox}
                testId="ward-map-core"
                attribution={false}
                fitPaddingPx={INSET_PADDING_PX}
                hideCrowdedLabels
                labelPriority="density"
                {...layers}
              />
            </div>
          )}
        </Show>
        <Show when={view.offshore}>
          {(offshore) => (
            <div class={`core-inset core-inset--offshore core-inset--${corners.offshore}`} data-testid="offshore-inset" data-corner={corners.offshore} data-wards={offshore().codes.join(',')}>
              <div class="core-inset__title">{offshoreNames()}</div>
              <WardMap
                i18n={i18n}
                bounds={offshore().bbox}
                testId="ward-map-offshore"
                attribution={false}
                fitPaddingPx={INSET_PADDING_PX}
                {...layers}
              />
            </div>
          )}
        </Show>
        <div class="legend" classList={{ 'legend--stale': live.stale() }} data-testid="map-legend" data-fill={props.fill()}>
          <div class="legend__title legend__title--fill">{i18n.label(kpi().label)}</div>
          <div class="legend__scale">
            <span class="legend__swatch" style={{ background: WARD_FILL_EMPTY }}>
              {kpi().fixedMax === undefined && kpi().kind === 'count' ? '0' : '—'}
            </span>
            <Show when={kpi().fixedMax !== undefined}>
              <span class="legend__end">{formatFigure(0, kpi().kind, i18n.locale)}</span>
            </Show>
            <For each={[...WARD_FILL_STEPS]}>{(c) => <span class="legend__swatch" style={{ background: c }} />}</For>
            <span class="legend__end" data-testid="map-legend-max">
              {legendMax()}
            </span>
          </div>
          <div class="legend__title">{i18n.t('severity')}</div>
          <div class="legend__scale">
            <For each={[...INCIDENT_SEVERITIES]}>
              {(s) => (
                <span class="legend__sev">
                  <span class="legend__dot" style={{ background: `rgb(${SEVERITY_COLORS[s].slice(0, 3).join(',')})` }} />
                  {s}
                </span>
              )}
            </For>
          </div>
        </div>
      </div>
      <aside class="wall__side">
        <div class="tiles">
          <For each={CITY_TILES}>
            {(def) => {
              // Decision 766 is assessed over a period: its tile shows the period to date out of the
              // full points, with the period written on it, not today's partial figure.
              if (def.name === 'index766') {
                const period = () => index766TileView(data()?.period766, i18n.locale, i18n.lang);
                return (
                  <KpiTile
                    name={def.name}
                    label={i18n.t(def.label)}
                    value={period()?.text ?? '—'}
                    {...(period() ? { suffix: period()!.suffix, period: period()!.period } : {})}
                    stale={live.stale()}
                  />
                );
              }
              const view = () => tileView(def, data()?.city, i18n.locale);
              return (
                <KpiTile
                  name={def.name}
                  label={i18n.t(def.label)}
                  value={view().text}
                  stale={live.stale()}
                  alarm={view().alarm}
                  trends={[line('yesterday', i18n.t('vsYesterday'), view().vsYesterday, def.kind), line('last-week', i18n.t('vsLastWeek'), view().vsLastWeek, def.kind)]}
                />
              );
            }}
          </For>
        </div>
        <AlertList i18n={i18n} alerts={data()?.alerts} stale={live.stale()} />
      </aside>
    </div>
  );
}
