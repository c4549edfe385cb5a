import { Index } from 'solid-js';
import type { DailySeries } from '@shared/briefing';
import { dayLabels } from './briefing-text';
import type { BriefingI18n } from './i18n';
import { TrendBars } from './TrendBars';
import type { TrendSeries } from './TrendBars';

/** The week day by day: reports received and responded, dossiers on time and late. */
export function Trends(props: { daily: DailySeries; i18n: BriefingI18n }) {
  const { i18n } = props;
  const labels = () => dayLabels(props.daily.days, i18n.locale);
  const charts = (): { title: string; series: TrendSeries[] }[] => [
    {
      title: i18n.t('trendReports'),
      series: [
        { label: i18n.t('received'), color: '#5aa9ff', values: props.daily.reportsReceived },
        { label: i18n.t('responded'), color: '#3ddc84', values: props.daily.reportsResponded },
      ],
    },
    {
      title: i18n.t('trendDossiers'),
      series: [
        { label: i18n.t('onTime'), color: '#3ddc84', values: props.daily.dossiersOnTime },
        { label: i18n.t('late'), color: '#ff6b5b', values: props.daily.dossiersLate },
      ],
    },
  ];
  // Index, not For: a new ward's figures update the two charts in place instead of redrawing them.
  return (
    <div class="bf-trends">
      <Index each={charts()}>{(c) => <TrendBars title={c().title} days={props.daily.days} dayLabels={labels()} series={c().series} />}</Index>
    </div>
  );
}
