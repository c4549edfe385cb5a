import { REPORT_CATEGORY_LABELS } from '@shared/categories';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n/wall';
import type { LiveStore } from '../stores/live-store';
import { categoryMixOption, dossiersByWardOption, reportsPerHourOption } from '../ui/charts/chart-options';
import type { ChartStyle } from '../ui/charts/chart-options';
import { emptyCharts } from '../ui/charts/empty-charts';
import { EChart } from '../ui/charts/EChart';

/** Chart text as a share of the screen height: 2.2 % is ~24 px on 1080p and ~48 px on 4K. */
const CHART_FONT_SHARE = 0.022;

/** Reports per hour over 7 days, dossiers on time vs late per ward, and the category mix. */
export function ChartsScene(props: { i18n: I18n; live: LiveStore }) {
  const { i18n } = props;
  const charts = () => props.live.state.data?.charts ?? emptyCharts();
  // Measured once: the scene is built each time it comes round, so a resized wall is picked up then.
  const style: ChartStyle = { fontPx: Math.max(12, Math.round(window.innerHeight * CHART_FONT_SHARE)), locale: i18n.locale };
  const categoryName = (c: keyof typeof REPORT_CATEGORY_LABELS) => i18n.label(REPORT_CATEGORY_LABELS[c]);
  return (
    <section class="charts" classList={{ 'charts--stale': props.live.stale() }} data-testid="charts-scene">
      <div class="chart-panel chart-panel--hours">
        <h2 class="scene-title">{i18n.t('chartReportsPerHour')}</h2>
        <EChart testId="chart-reports-per-hour" option={() => reportsPerHourOption(charts(), style, categoryName)} />
      </div>
      <div class="chart-panel chart-panel--mix">
        <h2 class="scene-title">{i18n.t('chartCategoryMix')}</h2>
        <EChart testId="chart-category-mix" option={() => categoryMixOption(charts().categoryMix, style, categoryName)} />
      </div>
      <div class="chart-panel chart-panel--wards">
        <h2 class="scene-title">{i18n.t('chartDossiersByWard')}</h2>
        <EChart
          testId="chart-dossiers-by-ward"
          option={() =>
            dossiersByWardOption(charts().dossiersByWard, { ...style, fontPx: Math.round(style.fontPx * 0.8) }, {
              onTime: i18n.t('onTime'),
              late: i18n.t('late'),
              wardName: (code) => wardByCode(code)?.name ?? code,
            })
          }
        />
      </div>
    </section>
  );
}
