import { For, Show, createMemo, createSignal, onCleanup, onMount } from 'solid-js';
import type { Accessor } from 'solid-js';
import { fitCopRows, type CopUnit, type OperatingPicture } from '@shared/operating-picture';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n/wall';
import { formatCount } from '../ui/format';

/** Each unit's row, in vh: tall enough to read from 5 m, so eight or more fit beside the map at 1080p and at 4K alike. */
export const COP_ROW_VH = 4.2;

// Short names, as the warning cards write them: "Phường" before each would fill the column.
const shortName = (code: string, i18n: I18n) => {
  const w = wardByCode(code);
  return w ? (i18n.lang === 'vi' ? w.name : w.nameAscii) : code;
};

/**
 * The least a full-height bar stands for: each row is scaled to its own busiest hour (its shape is
 * what the bars are for; its size is in the figures beside them), but a unit with a report or two
 * must not draw a flood's spike.
 */
export const SPARK_MIN_SCALE = 4;

export interface SparklineProps {
  values: readonly number[];
  testId?: string;
}

/**
 * Reports per hour as bars, oldest left, the hour up to now brightest, scaled to the row's busiest
 * hour (at least SPARK_MIN_SCALE). An hour with none keeps a thin mark on the baseline, so "none"
 * reads differently from a missing bar.
 */
export function Sparkline(props: SparklineProps) {
  const n = () => props.values.length;
  const scale = () => Math.max(SPARK_MIN_SCALE, ...props.values);
  const height = (v: number) => (v <= 0 ? 4 : Math.max(12, Math.round((100 * v) / scale())));
  return (
    <svg class="cop-spark" viewBox={`0 0 ${n() * 10} 100`} preserveAspectRatio="none" data-testid={props.testId} data-trend={props.values.join(',')} aria-hidden="true">
      <For each={[...props.values]}>
        {(v, i) => <rect class="cop-spark__bar" classList={{ 'cop-spark__bar--now': i() === n() - 1, 'cop-spark__bar--none': v <= 0 }} x={i() * 10 + 1.2} width={7.6} y={100 - height(v)} height={height(v)} />}
      </For>
    </svg>
  );
}

export interface OperatingPicturePanelProps {
  i18n: I18n;
  cop: Accessor<OperatingPicture>;
}

/**
 * The common operating picture beside the warnings map: the situation (or the warning area) and,
 * per affected unit, flood reports in the last 3 hours, open incidents, the people living there and
 * the reports per hour of the last 12 hours; the whole area's figures first. As many units as fit,
 * most pressing first; the rest summed on one line.
 */
export function OperatingPicturePanel(props: OperatingPicturePanelProps) {
  const { i18n } = props;
  const count = (v: number | null) => formatCount(v, i18n.locale);
  let rowsBox: HTMLDivElement | undefined;
  const [maxRows, setMaxRows] = createSignal(12);
  onMount(() => {
    const el = rowsBox;
    if (!el) return;
    const measure = () => {
      const rowPx = (window.innerHeight * COP_ROW_VH) / 100;
      if (el.clientHeight > 0) setMaxRows(Math.max(1, Math.floor(el.clientHeight / rowPx)));
    };
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    measure();
    onCleanup(() => observer.disconnect());
  });
  const fit = createMemo(() => fitCopRows(props.cop().units, maxRows()));
  const title = () => {
    const s = props.cop().situations;
    return s.length > 0 ? s.map((a) => i18n.label(a.title)).join(' · ') : i18n.t('copWarningArea', { n: props.cop().totals.units });
  };
  // Someone at the desk has it in hand once every open situation is acknowledged.
  const acknowledged = () => props.cop().situations.every((a) => a.state === 'acknowledged');

  const unitRow = (u: CopUnit) => (
    <div class="cop__row" data-testid="cop-unit" data-ward={u.ward}>
      <span class="cop__name">
        <span class="cop__marks">
          <span class="cop__mark cop__mark--rising" classList={{ 'cop__mark--off': !u.inSituation }} title={i18n.t('copLegendRising')} />
          <span class="cop__mark cop__mark--warned" classList={{ 'cop__mark--off': !u.underWarning }} title={i18n.t('copLegendWarned')} />
        </span>
        <span class="cop__name-text">{shortName(u.ward, i18n)}</span>
      </span>
      <span class="cop__num cop__num--reports" classList={{ 'cop__num--zero': u.reports3h === 0 }} data-testid="cop-reports">
        {count(u.reports3h)}
      </span>
      <span class="cop__num" data-testid="cop-incidents">
        <span class="cop__incidents" classList={{ 'cop__incidents--some': u.openIncidents > 0 }}>
          {count(u.openIncidents)}
        </span>
      </span>
      <span class="cop__num cop__num--people" data-testid="cop-population">
        {count(u.population)}
      </span>
      <Sparkline values={u.trend} testId="cop-trend" />
    </div>
  );

  return (
    <section class="cop" data-testid="cop" data-at={String(props.cop().atMs)} data-units={props.cop().units.map((u) => u.ward).join(',')} style={{ '--cop-row': `${COP_ROW_VH}vh` }}>
      <header class="cop__head">
        <h2 class="cop__title" data-testid="cop-title">
          {title()}
        </h2>
        <Show when={props.cop().situations.length > 0}>
          <span class="cop__state" classList={{ 'cop__state--open': !acknowledged() }} data-testid="cop-state">
            {acknowledged() ? i18n.t('copAcknowledged') : i18n.t('copNotAcknowledged')}
          </span>
        </Show>
      </header>
      <div class="cop__row cop__row--head">
        <span>{i18n.t('copUnit')}</span>
        <span class="cop__num">{i18n.t('copReports3h')}</span>
        <span class="cop__num">{i18n.t('copIncidents')}</span>
        <span class="cop__num">{i18n.t('copPopulation')}</span>
        <span>{i18n.t('copTrend')}</span>
      </div>
      <div class="cop__row cop__row--total" data-testid="cop-total">
        <span class="cop__name">{i18n.t('copTotal', { n: props.cop().totals.units })}</span>
        <span class="cop__num cop__num--reports" data-testid="cop-reports">
          {count(props.cop().totals.reports3h)}
        </span>
        <span class="cop__num" data-testid="cop-incidents">
          <span class="cop__incidents" classList={{ 'cop__incidents--some': props.cop().totals.openIncidents > 0 }}>
            {count(props.cop().totals.openIncidents)}
          </span>
        </span>
        <span class="cop__num cop__num--people" data-testid="cop-population">
          {count(props.cop().totals.population)}
        </span>
        <Sparkline values={props.cop().totals.trend} testId="cop-trend" />
      </div>
      <div class="cop__rows" ref={(el) => (rowsBox = el)}>
        <For each={fit().shown}>{unitRow}</For>
        <Show when={fit().rest}>
          {(rest) => (
            <div class="cop__row cop__row--rest" data-testid="cop-rest">
              <span class="cop__name">{i18n.t('copRest', { n: rest().units })}</span>
              <span class="cop__num cop__num--reports">{count(rest().reports3h)}</span>
              <span class="cop__num">{count(rest().openIncidents)}</span>
              <span class="cop__num cop__num--people">{count(rest().population)}</span>
              <span />
            </div>
          )}
        </Show>
      </div>
      <footer class="cop__legend">
        {/* Only the marks the rows use. */}
        <Show when={props.cop().units.some((u) => u.inSituation)}>
          <span class="cop__legend-item">
            <span class="cop__mark cop__mark--rising" />
            {i18n.t('copLegendRising')}
          </span>
        </Show>
        <Show when={props.cop().units.some((u) => u.underWarning)}>
          <span class="cop__legend-item">
            <span class="cop__mark cop__mark--warned" />
            {i18n.t('copLegendWarned')}
          </span>
        </Show>
      </footer>
    </section>
  );
}
