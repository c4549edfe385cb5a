import { For, Match, Show, Switch } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { DeskState, Evidence } from './desk-state';
import { formatTime, wardName } from './desk-text';
import { HotspotChart } from './HotspotChart';
import { SituationUnits } from './SituationUnits';

/** One line of evidence: when, what kind, and its title. */
interface EvidenceRow {
  at: string;
  kind: string;
  title: string | undefined;
}

function EvidenceTable(props: { title: string; testId: string; rows: readonly EvidenceRow[] }) {
  return (
    <Show when={props.rows.length > 0}>
      <h4 class="desk__h4">{props.title}</h4>
      <table class="evidence__table" data-testid={props.testId}>
        <tbody>
          <For each={props.rows}>
            {(r) => (
              <tr>
                <td>{r.at}</td>
                <td>{r.kind}</td>
                <td>{r.title ?? '—'}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

/** The reports and incidents behind an alert, as the server lists them. */
function EvidenceTables(props: { desk: DeskState; evidence: Evidence }) {
  const { i18n } = props.desk;
  const reports = () =>
    props.evidence.reports.map((r) => ({ at: formatTime(r.createdAt, i18n.locale), kind: i18n.label(REPORT_CATEGORY_LABELS[r.category]), title: r.title }));
  const incidents = () =>
    props.evidence.incidents.map((x) => ({
      at: formatTime(x.occurredAt, i18n.locale),
      kind: `${i18n.label(INCIDENT_TYPE_LABELS[x.type])} · ${i18n.t('severity')} ${x.severity}`,
      title: x.title,
    }));
  // A backlog alert's dossiers: when each fell due, where, and which procedure (dossiers carry no personal data).
  const dossiers = () =>
    (props.evidence.dossiers ?? []).map((d) => ({ at: formatTime(d.dueAt, i18n.locale), kind: wardName(d.ward, i18n), title: d.procedure ?? d.field ?? d.id }));
  return (
    <Show when={props.evidence.reports.length + props.evidence.incidents.length + (props.evidence.dossiers ?? []).length > 0} fallback={<p class="desk__empty">{i18n.t('noEvidence')}</p>}>
      <EvidenceTable title={i18n.t('dossiersBehind')} testId="evidence-dossiers" rows={dossiers()} />
      <EvidenceTable title={i18n.t('reportsBehind')} testId="evidence-reports" rows={reports()} />
      <EvidenceTable title={i18n.t('incidentsBehind')} testId="evidence-incidents" rows={incidents()} />
    </Show>
  );
}

/** Why the alert was raised: the hotspot's observed against expected, and the reports and incidents behind it. */
export function AlertEvidence(props: { desk: DeskState; alert: Alert }) {
  const { desk } = props;
  const { i18n } = desk;
  const a = () => props.alert;
  return (
    <div class="evidence">
      <h3 class="desk__h3">{i18n.t('evidence')}</h3>
      <Show when={a().source === 'hotspot' && a().evidence.observed !== undefined && a().evidence.expected !== undefined}>
        <div class="evidence__chart">
          <div class="evidence__caption">
            {i18n.t('observed')} / {i18n.t('expected')} <Show when={a().evidence.windowHours}>{(h) => i18n.t('inHours', { n: h() })}</Show>
          </div>
          <HotspotChart observed={a().evidence.observed ?? 0} expected={a().evidence.expected ?? 0} labels={{ observed: i18n.t('observed'), expected: i18n.t('expected') }} />
        </div>
      </Show>
      <Show when={a().source === 'situation'}>
        <SituationUnits desk={desk} alert={a()} evidence={desk.mayAct ? desk.evidence() : null} />
      </Show>
      <Switch>
        <Match when={a().source === 'situation'}>{null}</Match>
        <Match when={!desk.mayAct}>
          <p class="desk__empty">{i18n.t('evidenceForbidden')}</p>
        </Match>
        <Match when={desk.evidence.loading}>
          <p class="desk__empty">{i18n.t('loadingEvidence')}</p>
        </Match>
        <Match when={desk.evidence()}>{(ev) => <EvidenceTables desk={desk} evidence={ev()} />}</Match>
      </Switch>
    </div>
  );
}
