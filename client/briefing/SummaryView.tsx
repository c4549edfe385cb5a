import { For, Show } from 'solid-js';
import type { Briefing } from '@shared/briefing';
import { ChangeCell } from './ChangeCell';
import type { BriefingI18n } from './i18n';
import { formatMinutes, formatValue, KPI_ROWS } from './kpi-rows';
import { Trends } from './Trends';
import { makeReplayI18n } from '../i18n/replay';
import { replayLink } from '../stores/replay-clock';

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
            <h3 class="block__title">
              {i18n.t('alertsOfWeek')}{' '}
              <a class="replay-link" data-testid="week-replay" href={replayLink('/', Date.parse(props.b.from), 3600, i18n.lang)}>
                ▶ {makeReplayI18n(i18n.lang).t('weekInReplay')}
              </a>
            </h3>
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
