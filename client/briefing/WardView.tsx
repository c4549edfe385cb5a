import { For, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { Briefing, WardPage } from '@shared/briefing';
import { REPORT_CATEGORY_LABELS } from '@shared/categories';
import { makeReplayI18n } from '../i18n/replay';
import { wardFullName } from '../i18n/ward-names';
import { replayLink } from '../stores/replay-clock';
import { ChangeCell } from './ChangeCell';
import type { BriefingI18n } from './i18n';
import { cityAverage, formatMinutes, formatValue, KPI_ROWS } from './kpi-rows';
import { recoveryText } from './tour';
import { Trends } from './Trends';

/** Rows of a list on a ward page: the rest are counted and are in the XLSX. Chosen to fit a 1080p screen and an A4 page. */
export const LIST_ROWS = 6;
export const ALERT_ROWS = 4;

/** One of a ward page's short lists: a title with the full count, the first `rows` items, and what is left out. */
function WardList<T>(props: {
  i18n: BriefingI18n;
  testId: string;
  title: string;
  items: readonly T[];
  rows: number;
  /** Say how many more there are (they are in the XLSX). */
  countRest: boolean;
  children: (item: T) => JSX.Element;
}) {
  const { i18n } = props;
  const rest = () => props.items.length - props.rows;
  return (
    <div class="list" data-testid={props.testId}>
      <h3 class="block__title">
        {props.title} <span class="count">{props.items.length}</span>
      </h3>
      <Show when={props.items.length > 0} fallback={<p class="muted">{i18n.t('none')}</p>}>
        <table class="mini">
          <tbody>
            <For each={props.items.slice(0, props.rows)}>{props.children}</For>
          </tbody>
        </table>
        <Show when={props.countRest && rest() > 0}>
          <p class="muted small">{i18n.t('andMore', { n: rest() })}</p>
        </Show>
      </Show>
    </div>
  );
}

/** The ward's KPIs this week, against last week and the city average. */
function WardKpis(props: { b: Briefing; page: WardPage; i18n: BriefingI18n }) {
  const { i18n } = props;
  const p = () => props.page;
  return (
    <table class="kpis" data-testid="ward-kpis">
      <thead>
        <tr>
          <th class="left">{i18n.t('indicator')}</th>
          <th>{i18n.t('thisWeek')}</th>
          <th>{i18n.t('vsLastWeek')}</th>
          <th>{i18n.t('cityAverage')}</th>
        </tr>
      </thead>
      <tbody>
        <For each={KPI_ROWS}>
          {(k) => (
            <tr>
              <td class="left">{i18n.t(k.key)}</td>
              <td class="num strong">{formatValue(k.get(p().kpis), k.kind, i18n.locale)}</td>
              <td class="num">
                <ChangeCell now={k.get(p().kpis)} before={k.get(p().previous)} kind={k} i18n={i18n} />
              </td>
              <td class="num muted">{formatValue(cityAverage(k.get(props.b.city.kpis), k.kind, props.b.wards.length), k.kind, i18n.locale)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

/** One ward's page of the tour, without its map (the screen keeps one map flying; print draws an outline). */
export function WardView(props: { b: Briefing; page: WardPage; i18n: BriefingI18n; position: number; map: JSX.Element }) {
  const { i18n } = props;
  const p = () => props.page;
  const row = () => props.b.ranking.find((r) => r.ward === p().ward);
  const replayI18n = makeReplayI18n(i18n.lang);
  return (
    <section class="page page--ward" data-testid={`page-ward-${p().ward}`} data-ward={p().ward}>
      <h2 class="page__title">
        <span class="ward-rank">{p().rank ?? '—'}</span> {wardFullName(p().ward, i18n.lang)}
        <small class="page__sub">
          {' '}
          {i18n.t('wardOf', { n: props.position, total: props.b.wards.length })}
          <Show when={row()?.recovery}>{(r) => <> · {recoveryText(r(), i18n.t, i18n.locale)}</>}</Show>{' '}
          {/* The week on the wall, an hour a second (issue 20). */}
          <a class="replay-link" data-testid="ward-week-replay" href={replayLink('/', Date.parse(props.b.from), 3600, i18n.lang)}>
            ▶ {replayI18n.t('weekInReplay')}
          </a>
        </small>
      </h2>
      <div class="ward">
        <div class="ward__left">
          <div class="ward__map">{props.map}</div>
          <Trends daily={p().daily} i18n={i18n} />
        </div>
        <div class="ward__right">
          <WardKpis b={props.b} page={p()} i18n={i18n} />
          <div class="lists">
            <WardList i18n={i18n} testId="overdue-dossiers-list" title={i18n.t('overdueDossiers')} items={p().overdueDossiers} rows={LIST_ROWS} countRest>
              {(d) => (
                <tr>
                  <td class="left">{d.procedure ?? d.field ?? '—'}</td>
                  <td class="num late">{i18n.t('days', { n: d.daysOverdue })}</td>
                </tr>
              )}
            </WardList>
            <WardList i18n={i18n} testId="overdue-reports-list" title={i18n.t('overdueReports')} items={p().overdueReports} rows={LIST_ROWS} countRest>
              {(r) => (
                <tr>
                  <td class="left">{i18n.label(REPORT_CATEGORY_LABELS[r.category])}</td>
                  <td class="num late">{i18n.t('days', { n: r.daysOverdue })}</td>
                </tr>
              )}
            </WardList>
          </div>
          <WardList i18n={i18n} testId="ward-alerts" title={i18n.t('alertsOfWeek')} items={p().alerts} rows={ALERT_ROWS} countRest={false}>
            {(a) => (
              <tr>
                <td class="left">
                  <span class={`sev sev${a.alert.severity}`}>{a.alert.severity}</span> {i18n.label(a.alert.title)}
                </td>
                <td class="left">
                  {a.alert.acknowledged ? `${a.alert.acknowledged.by} · ${formatMinutes(a.minutesToAcknowledge, i18n.t)}` : i18n.t('notAcknowledged')}
                </td>
                <td class="left">
                  <a class="replay-link" data-testid="alert-replay" title={replayI18n.t('replayFromHere')} href={replayLink('/', Date.parse(a.alert.raisedAt), 3600, i18n.lang)}>
                    ▶
                  </a>
                </td>
              </tr>
            )}
          </WardList>
        </div>
      </div>
    </section>
  );
}
