import { For, Show } from 'solid-js';
import type { Alert, AlertEvidence, SituationMatter } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { DeskState } from './desk-state';
import { formatTime, wardName } from './desk-text';
import { situationRows, type MatterRow } from './situation';

/** "Hạ tầng: 20 / kỳ vọng 1.5 trong 3 giờ" or "Ngập lụt: 2 vụ việc". */
function matterText(m: SituationMatter, desk: DeskState): string {
  const { i18n } = desk;
  const kind = m.category ? i18n.label(REPORT_CATEGORY_LABELS[m.category]) : m.incidentType ? i18n.label(INCIDENT_TYPE_LABELS[m.incidentType]) : m.key;
  if (m.observed !== undefined && m.expected !== undefined) {
    return `${kind}: ${i18n.t('matterCounts', { observed: m.observed, expected: m.expected.toFixed(1), n: m.windowHours ?? '?' })}`;
  }
  return `${kind}: ${i18n.t('matterIncidents', { n: m.incidentIds?.length ?? 0 })}`;
}

/** One matter of a unit: what it is, its counts, and the reports and incidents behind it (when fetched). */
function Matter(props: { desk: DeskState; row: MatterRow }) {
  const { i18n } = props.desk;
  const m = () => props.row.matter;
  return (
    <li class="situation__matter" classList={{ 'situation__matter--ended': m().endedAt !== undefined }} data-testid="situation-matter" data-key={m().key}>
      <span class={`situation__sev sev${m().severity}`}>{m().severity}</span> {matterText(m(), props.desk)}
      <Show when={m().endedAt}>{(at) => <span class="situation__note"> · {i18n.t('matterEnded')} {formatTime(at(), i18n.locale)}</span>}</Show>
      <Show when={m().alertId}>
        <span class="situation__note"> · {i18n.t('matterOwnAlert')}</span>
      </Show>
      <Show when={props.row.reports.length + props.row.incidents.length > 0}>
        <table class="evidence__table situation__items">
          <tbody>
            <For each={props.row.incidents}>
              {(x) => (
                <tr>
                  <td>{formatTime(x.occurredAt, i18n.locale)}</td>
                  <td>
                    {i18n.label(INCIDENT_TYPE_LABELS[x.type])} · {i18n.t('severity')} {x.severity}
                  </td>
                  <td>{x.title ?? '—'}</td>
                </tr>
              )}
            </For>
            <For each={props.row.reports}>
              {(r) => (
                <tr>
                  <td>{formatTime(r.createdAt, i18n.locale)}</td>
                  <td>{i18n.label(REPORT_CATEGORY_LABELS[r.category])}</td>
                  <td>{r.title ?? '—'}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </Show>
    </li>
  );
}

/**
 * A situation's units as a list, each with its evidence: the filtered unit first, then those still
 * rising, then those that left (their evidence kept). Drawn from the alert itself; the reports and
 * incidents fill in once the evidence is fetched (never for viewers).
 */
export function SituationUnits(props: { desk: DeskState; alert: Alert; evidence: AlertEvidence | null | undefined }) {
  const { desk } = props;
  const { i18n } = desk;
  const rows = () => situationRows(props.alert, props.evidence, desk.filters().ward);
  return (
    <div class="situation">
      <h4 class="desk__h4">{i18n.t('situationUnits', { n: rows().filter((r) => r.leftAt === undefined).length })}</h4>
      <ol class="situation__units" data-testid="situation-units">
        <For each={rows()}>
          {(u) => (
            <li class="situation__unit" classList={{ 'situation__unit--focused': u.focused, 'situation__unit--left': u.leftAt !== undefined }} data-testid="situation-unit" data-ward={u.ward}>
              <div class="situation__head">
                <strong>{wardName(u.ward, i18n)}</strong>
                <Show when={u.focused}>
                  <span class="situation__badge">{i18n.t('unitFocused')}</span>
                </Show>
                <Show when={u.underWarning}>
                  <span class="situation__badge situation__badge--warning">{i18n.t('unitUnderWarning')}</span>
                </Show>
                <span class="situation__note">
                  {' '}
                  {u.leftAt ? i18n.t('unitLeft', { at: formatTime(u.leftAt, i18n.locale) }) : i18n.t('unitJoined', { at: formatTime(u.joinedAt, i18n.locale) })}
                </span>
              </div>
              <ul class="situation__matters">
                <For each={u.matters}>{(m) => <Matter desk={desk} row={m} />}</For>
              </ul>
            </li>
          )}
        </For>
      </ol>
    </div>
  );
}
