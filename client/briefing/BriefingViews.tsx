import { For, Show } from 'solid-js';
import type { JSX } from 'solid-js';
import type { Briefing, BriefingRankingRow, DailySeries, WardPage } from '@shared/briefing';
import { REPORT_CATEGORY_LABELS } from '@shared/categories';
import { wardByCode } from '@shared/wards';
import type { BriefingI18n } from './i18n';
import { changeOf, cityAverage, formatMinutes, formatValue, KPI_ROWS } from './kpi-rows';
import { recoveryText } from './tour';
import { TrendBars } from './TrendBars';

const HUE_TIME_ZONE = 'Asia/Ho_Chi_Minh';
/** Rows of a list on a ward page: the rest are counted and are in the XLSX. Chosen to fit a 1080p screen and an A4 page. */
export const LIST_ROWS = 6;
export const ALERT_ROWS = 4;

export function wardTitle(code: string, i18n: BriefingI18n): string {
  const w = wardByCode(code);
  if (!w) return code;
  if (i18n.lang === 'vi') return w.nameFull;
  return `${w.type === 'phuong' ? 'Ward' : 'Commune'} ${w.nameAscii}`;
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false }).format(new Date(iso));
}

function dayLabels(days: readonly string[], locale: string): string[] {
  return days.map((d) => new Intl.DateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, weekday: 'short' }).format(new Date(d)));
}

function Trends(props: { daily: DailySeries; i18n: BriefingI18n }) {
  const labels = () => dayLabels(props.daily.days, props.i18n.locale);
  return (
    <div class="bf-trends">
      <TrendBars
        title={props.i18n.t('trendReports')}
        days={props.daily.days}
        dayLabels={labels()}
        series={[
          { label: props.i18n.t('received'), color: '#5aa9ff', values: props.daily.reportsReceived },
          { label: props.i18n.t('responded'), color: '#3ddc84', values: props.daily.reportsResponded },
        ]}
      />
      <TrendBars
        title={props.i18n.t('trendDossiers')}
        days={props.daily.days}
        dayLabels={labels()}
        series={[
          { label: props.i18n.t('onTime'), color: '#3ddc84', values: props.daily.dossiersOnTime },
          { label: props.i18n.t('late'), color: '#ff6b5b', values: props.daily.dossiersLate },
        ]}
      />
    </div>
  );
}

function ChangeCell(props: { now: number | null; before: number | null; kind: (typeof KPI_ROWS)[number]; i18n: BriefingI18n }) {
  const c = () => changeOf(props.now, props.before, props.kind, props.i18n.locale);
  return (
    <span class={`change change--${c().tone}`}>
      {c().arrow} {c().text}
    </span>
  );
}

/** The city's week against the week before: KPI cards, overdue counts, alerts and how fast they were handled. */
export function SummaryView(props: { b: Briefing; i18n: BriefingI18n }) {
  const { i18n } = props;
  const city = () => props.b.city;
  return (
    <section class="page page--summary" data-testid="page-summary">
      <h2 class="page__title">{i18n.t('summary')}</h2>
      <div class="summary">
        <div class="cards">
          <For each={KPI_ROWS}>
            {(row) => (
              <div class="card" classList={{ 'card--wide': row.key === 'index766' }} data-testid={`kpi-${row.key}`}>
                <div class="card__label">{i18n.t(row.key)}</div>
                <div class="card__value">
                  {formatValue(row.get(city().kpis), row.kind, i18n.locale)}
                  <Show when={row.key === 'index766'}>
                    <small> / {formatValue(city().kpis.index766.max, 'points', i18n.locale)}</small>
                  </Show>
                </div>
                <div class="card__change">
                  <ChangeCell now={row.get(city().kpis)} before={row.get(city().previous)} kind={row} i18n={i18n} />
                  <span class="card__before">
                    {i18n.t('lastWeek')}: {formatValue(row.get(city().previous), row.kind, i18n.locale)}
                  </span>
                </div>
              </div>
            )}
          </For>
        </div>
        <div class="summary__side">
          <div class="overdue-pair">
            <div class="big" data-testid="overdue-dossiers">
              <div class="big__value">{formatValue(city().overdueDossiers, 'count', i18n.locale)}</div>
              <div class="big__label">{i18n.t('overdueDossiersCity')}</div>
            </div>
            <div class="big" data-testid="overdue-reports">
              <div class="big__value">{formatValue(city().overdueReports, 'count', i18n.locale)}</div>
              <div class="big__label">{i18n.t('overdueReportsCity')}</div>
            </div>
          </div>
          <div class="alerts-week" data-testid="alerts-week">
            <h3 class="block__title">{i18n.t('alertsOfWeek')}</h3>
            <dl class="facts">
              <dt>{i18n.t('alertsRaised')}</dt>
              <dd>{city().alerts.raised}</dd>
              <dt>{i18n.t('alertsAcknowledged')}</dt>
              <dd>{city().alerts.acknowledged}</dd>
              <dt>{i18n.t('alertsResolved')}</dt>
              <dd>{city().alerts.resolved}</dd>
              <dt>{i18n.t('alertsEscalated')}</dt>
              <dd>{city().alerts.escalated}</dd>
              <dt>{i18n.t('medianAck')}</dt>
              <dd>{formatMinutes(city().alerts.medianMinutesToAcknowledge, i18n.t)}</dd>
              <dt>{i18n.t('medianResolve')}</dt>
              <dd>{formatMinutes(city().alerts.medianMinutesToResolve, i18n.t)}</dd>
            </dl>
          </div>
          <Trends daily={city().daily} i18n={i18n} />
        </div>
      </div>
    </section>
  );
}

function rankChange(row: BriefingRankingRow): { text: string; tone: string } {
  const now = row.index.rank;
  const before = row.previousRank;
  if (now === null || before === null) return { text: '—', tone: 'neutral' };
  const d = before - now;
  if (d === 0) return { text: '=', tone: 'neutral' };
  return d > 0 ? { text: `▲${d}`, tone: 'good' } : { text: `▼${-d}`, tone: 'bad' };
}

/** The ranking table: one row per ward with its pillars, rank change, 766 points and what recovers points. */
export function RankingView(props: { rows: readonly BriefingRankingRow[]; i18n: BriefingI18n; title: string; testId?: string }) {
  const { i18n } = props;
  const n = (v: number | null) => formatValue(v, 'points', i18n.locale);
  return (
    <section class="page page--ranking" data-testid={props.testId ?? 'page-ranking'}>
      <h2 class="page__title">{props.title}</h2>
      <table class="bf-ranking">
        <thead>
          <tr>
            <th>{i18n.t('rank')}</th>
            <th>{i18n.t('rankChange')}</th>
            <th class="left">{i18n.t('ward')}</th>
            <th>{i18n.t('score')}</th>
            <th>{i18n.t('governance')}</th>
            <th>{i18n.t('safety')}</th>
            <th>{i18n.t('environment')}</th>
            <th>{i18n.t('service')}</th>
            <th>{i18n.t('points766')}</th>
            <th class="left">{i18n.t('recovers')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={props.rows}>
            {(row) => (
              <tr data-ward={row.ward}>
                <td class="num strong">{row.index.rank ?? '—'}</td>
                <td class={`num change--${rankChange(row).tone}`}>{rankChange(row).text}</td>
                <td class="left strong">{i18n.lang === 'vi' ? row.name : (wardByCode(row.ward)?.nameAscii ?? row.name)}</td>
                <td class="num strong">{n(row.index.score)}</td>
                <td class="num">{n(row.index.governance)}</td>
                <td class="num">{n(row.index.safety)}</td>
                <td class="num">{n(row.index.environment)}</td>
                <td class="num">{n(row.index.service)}</td>
                <td class="num">
                  {n(row.index766.total)}/{formatValue(row.index766.max, 'count', i18n.locale)}
                </td>
                <td class="left hint">
                  <span class="hint__text">{row.recovery ? recoveryText(row.recovery, i18n.t, i18n.locale) : '—'}</span>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </section>
  );
}

/** One ward's page of the tour, without its map (the screen keeps one map flying; print draws an outline). */
export function WardView(props: { b: Briefing; page: WardPage; i18n: BriefingI18n; position: number; map: JSX.Element }) {
  const { i18n } = props;
  const p = () => props.page;
  const row = () => props.b.ranking.find((r) => r.ward === p().ward);
  const wardCount = () => props.b.wards.length;
  const more = (n: number) => n - LIST_ROWS;
  return (
    <section class="page page--ward" data-testid={`page-ward-${p().ward}`} data-ward={p().ward}>
      <h2 class="page__title">
        <span class="ward-rank">{p().rank ?? '—'}</span> {wardTitle(p().ward, i18n)}
        <small class="page__sub">
          {' '}
          {i18n.t('wardOf', { n: props.position, total: wardCount() })}
          <Show when={row()?.recovery}>{(r) => <> · {recoveryText(r(), i18n.t, i18n.locale)}</>}</Show>
        </small>
      </h2>
      <div class="ward">
        <div class="ward__left">
          <div class="ward__map">{props.map}</div>
          <Trends daily={p().daily} i18n={i18n} />
        </div>
        <div class="ward__right">
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
                    <td class="num muted">{formatValue(cityAverage(k.get(props.b.city.kpis), k.kind, wardCount()), k.kind, i18n.locale)}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
          <div class="lists">
            <div class="list" data-testid="overdue-dossiers-list">
              <h3 class="block__title">
                {i18n.t('overdueDossiers')} <span class="count">{p().overdueDossiers.length}</span>
              </h3>
              <Show when={p().overdueDossiers.length > 0} fallback={<p class="muted">{i18n.t('none')}</p>}>
                <table class="mini">
                  <tbody>
                    <For each={p().overdueDossiers.slice(0, LIST_ROWS)}>
                      {(d) => (
                        <tr>
                          <td class="left">{d.procedure ?? d.field ?? '—'}</td>
                          <td class="num late">{i18n.t('days', { n: d.daysOverdue })}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <Show when={more(p().overdueDossiers.length) > 0}>
                  <p class="muted small">{i18n.t('andMore', { n: more(p().overdueDossiers.length) })}</p>
                </Show>
              </Show>
            </div>
            <div class="list" data-testid="overdue-reports-list">
              <h3 class="block__title">
                {i18n.t('overdueReports')} <span class="count">{p().overdueReports.length}</span>
              </h3>
              <Show when={p().overdueReports.length > 0} fallback={<p class="muted">{i18n.t('none')}</p>}>
                <table class="mini">
                  <tbody>
                    <For each={p().overdueReports.slice(0, LIST_ROWS)}>
                      {(r) => (
                        <tr>
                          <td class="left">{i18n.label(REPORT_CATEGORY_LABELS[r.category])}</td>
                          <td class="num late">{i18n.t('days', { n: r.daysOverdue })}</td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
                <Show when={more(p().overdueReports.length) > 0}>
                  <p class="muted small">{i18n.t('andMore', { n: more(p().overdueReports.length) })}</p>
                </Show>
              </Show>
            </div>
          </div>
          <div class="list" data-testid="ward-alerts">
            <h3 class="block__title">
              {i18n.t('alertsOfWeek')} <span class="count">{p().alerts.length}</span>
            </h3>
            <Show when={p().alerts.length > 0} fallback={<p class="muted">{i18n.t('none')}</p>}>
              <table class="mini">
                <tbody>
                  <For each={p().alerts.slice(0, ALERT_ROWS)}>
                    {(a) => (
                      <tr>
                        <td class="left">
                          <span class={`sev sev${a.alert.severity}`}>{a.alert.severity}</span> {i18n.label(a.alert.title)}
                        </td>
                        <td class="left">
                          {a.alert.acknowledged ? `${a.alert.acknowledged.by} · ${formatMinutes(a.minutesToAcknowledge, i18n.t)}` : i18n.t('notAcknowledged')}
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </Show>
          </div>
        </div>
      </div>
    </section>
  );
}
