import type { BriefingI18n } from './i18n';
import { changeOf } from './kpi-rows';
import type { KpiRow } from './kpi-rows';

/** A KPI's change against last week: an arrow and the difference, coloured good or bad. */
export function ChangeCell(props: { now: number | null; before: number | null; kind: KpiRow; i18n: BriefingI18n }) {
  const c = () => changeOf(props.now, props.before, props.kind, props.i18n.locale);
  return (
    <span class={`change change--${c().tone}`}>
      {c().arrow} {c().text}
    </span>
  );
}
