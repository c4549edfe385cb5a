import { For, Show } from 'solid-js';
import { INCIDENT_SEVERITIES } from '@shared/categories';
import type { I18n } from '../i18n';
import { SEVERITY_COLORS } from '../map/layers/incident-points';
import { HUE_CORE_BOUNDS, WardMap } from '../map/WardMap';
import { WARD_FILL_EMPTY, WARD_FILL_STEPS } from '../map/ward-fill';
import type { LiveStore } from '../stores/live-store';
import { AlertList } from '../ui/AlertList';
import { CategoryList } from '../ui/CategoryList';
import { DemoBanner } from '../ui/DemoBanner';
import { formatCount, formatRate } from '../ui/format';
import { FreshnessBadge } from '../ui/FreshnessBadge';
import { KpiTile } from '../ui/KpiTile';
import { WallClock } from '../ui/WallClock';

export interface WallSceneProps {
  i18n: I18n;
  live: LiveStore;
}

/** The city at a glance: map of the 40 wards on the left, live KPI tiles on the right. */
export function WallScene(props: WallSceneProps) {
  const { i18n, live } = props;
  const data = () => live.state.data;
  const today = () => data()?.city.today;
  const count = (v: number | undefined) => formatCount(v, i18n.locale);

  const wardValues = () => {
    const wards = data()?.wards ?? {};
    const values: Record<string, number> = {};
    for (const [code, k] of Object.entries(wards)) values[code] = k.today.reports.open;
    return values;
  };

  return (
    <div class="wall" classList={{ 'wall--stale': live.stale() }} lang={i18n.lang}>
      <header class="wall__header">
        <h1 class="wall__title">{i18n.t('title')}</h1>
        <Show when={data()?.demo}>
          <DemoBanner i18n={i18n} />
        </Show>
        <FreshnessBadge
          i18n={i18n}
          connected={live.connected()}
          stale={live.stale()}
          lastMessageAt={live.lastMessageAt()}
          now={live.now()}
        />
        <WallClock i18n={i18n} now={live.now()} />
      </header>
      <main class="wall__body">
        <div class="wall__map">
          <WardMap i18n={i18n} hideCrowdedLabels wardValues={wardValues} reports={() => data()?.reports ?? []} incidents={() => data()?.incidents ?? []} />
          <div class="core-inset">
            <div class="core-inset__title">{i18n.t('coreInset')}</div>
            <WardMap
              i18n={i18n}
              bounds={HUE_CORE_BOUNDS}
              testId="ward-map-core"
              attribution={false}
              wardValues={wardValues}
              reports={() => data()?.reports ?? []}
              incidents={() => data()?.incidents ?? []}
            />
          </div>
          <div class="legend" classList={{ 'legend--stale': live.stale() }}>
            <div class="legend__title">{i18n.t('mapLegend')}</div>
            <div class="legend__scale">
              <span class="legend__swatch" style={{ background: WARD_FILL_EMPTY }}>0</span>
              <For each={[...WARD_FILL_STEPS]}>{(c) => <span class="legend__swatch" style={{ background: c }} />}</For>
              <span class="legend__max">{i18n.t('legendMax')}</span>
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
            <KpiTile name="reports-today" label={i18n.t('reportsToday')} value={count(today()?.reports.received)} stale={live.stale()} />
            <KpiTile name="reports-open" label={i18n.t('reportsOpen')} value={count(today()?.reports.open)} stale={live.stale()} />
            <KpiTile
              name="dossiers-on-time"
              label={i18n.t('dossiersOnTime')}
              value={formatRate(today()?.dossiers.onTimeRate, i18n.locale)}
              stale={live.stale()}
            />
            <KpiTile
              name="dossiers-late"
              label={i18n.t('dossiersLate')}
              value={count(today()?.dossiers.late)}
              stale={live.stale()}
              alarm={(today()?.dossiers.late ?? 0) > 0}
            />
            <KpiTile
              name="incidents-open"
              label={i18n.t('incidentsOpen')}
              value={count(today()?.incidents.open)}
              stale={live.stale()}
              alarm={(today()?.incidents.open ?? 0) > 0}
            />
          </div>
          <AlertList i18n={i18n} alerts={data()?.alerts} stale={live.stale()} />
          <CategoryList i18n={i18n} counts={data()?.categoryCounts} stale={live.stale()} />
        </aside>
      </main>
    </div>
  );
}
