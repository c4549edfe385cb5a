import { For, Show } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, INCIDENT_TYPES, REPORT_CATEGORIES, REPORT_CATEGORY_LABELS } from '@shared/categories';
import { WARDS } from '@shared/wards';
import type { DeskState } from './desk-state';
import { kindText, stateText, wardName } from './desk-text';
import { categoryKey, countdownOf, formatCountdown, incidentKey } from './queue';
import type { StateFilter } from './queue';

const WARDS_BY_NAME = [...WARDS].sort((a, b) => a.name.localeCompare(b.name, 'vi'));

/** The filters above the queue: ward, category or incident type, state. */
function QueueFilterBar(props: { desk: DeskState }) {
  const { desk } = props;
  const { i18n } = desk;
  return (
    <div class="filters">
      <label>
        <span>{i18n.t('filterWard')}</span>
        <select ref={(n) => (desk.refs.wardFilter = n)} data-testid="filter-ward" value={desk.filters().ward} onChange={(e) => desk.setFilter('ward', e.currentTarget.value)}>
          <option value="">{i18n.t('allWards')}</option>
          <option value="city">{i18n.t('cityLevel')}</option>
          <For each={WARDS_BY_NAME}>{(w) => <option value={w.code}>{i18n.lang === 'vi' ? w.name : w.nameAscii}</option>}</For>
        </select>
      </label>
      <label>
        <span>{i18n.t('filterCategory')}</span>
        <select data-testid="filter-kind" value={desk.filters().kind} onChange={(e) => desk.setFilter('kind', e.currentTarget.value)}>
          <option value="">{i18n.t('allCategories')}</option>
          <optgroup label={i18n.t('categories')}>
            <For each={[...REPORT_CATEGORIES]}>{(c) => <option value={categoryKey(c)}>{i18n.label(REPORT_CATEGORY_LABELS[c])}</option>}</For>
          </optgroup>
          <optgroup label={i18n.t('incidentTypes')}>
            <For each={[...INCIDENT_TYPES]}>{(t) => <option value={incidentKey(t)}>{i18n.label(INCIDENT_TYPE_LABELS[t])}</option>}</For>
          </optgroup>
        </select>
      </label>
      <label>
        <span>{i18n.t('filterState')}</span>
        <select data-testid="filter-state" value={desk.filters().state} onChange={(e) => desk.setFilter('state', e.currentTarget.value as StateFilter)}>
          <option value="active">{i18n.t('stateActive')}</option>
          <option value="open">{i18n.t('stateOpen')}</option>
          <option value="acknowledged">{i18n.t('stateAcknowledged')}</option>
          <option value="resolved">{i18n.t('stateResolved')}</option>
          <option value="all">{i18n.t('stateAll')}</option>
        </select>
      </label>
    </div>
  );
}

/** One alert in the queue: severity, title, where and what, and the deadline that runs. */
function QueueItem(props: { desk: DeskState; alert: Alert }) {
  const { desk } = props;
  const { i18n } = desk;
  const a = () => props.alert;
  const cd = () => countdownOf(a(), desk.now());
  return (
    <li
      class={`queue__item sev${a().severity}`}
      classList={{ 'queue__item--selected': desk.selectedId() === a().id, 'queue__item--escalated': a().level > 0 }}
      data-testid={`queue-item-${a().id}`}
      data-id={a().id}
      data-state={a().state}
      aria-selected={desk.selectedId() === a().id}
      onClick={() => desk.select(a().id)}
    >
      <span class="queue__sev" title={i18n.t('severity')}>
        {a().severity}
      </span>
      <div class="queue__main">
        <div class="queue__title">{i18n.label(a().title)}</div>
        <div class="queue__meta">
          {wardName(a().ward, i18n)} · {kindText(a(), i18n)} · <span class={`state state--${a().state}`}>{stateText(a().state, i18n)}</span>
        </div>
      </div>
      <div class="queue__timer">
        <Show when={a().level > 0}>
          <span class="queue__level" data-testid="escalation-level">
            {i18n.t('level')} {a().level}
          </span>
        </Show>
        <Show when={cd()}>
          {(c) => (
            <span class="queue__countdown" classList={{ 'queue__countdown--late': c().msLeft < 0 }} data-testid="countdown">
              <small>{c().msLeft < 0 ? i18n.t('overdueBy') : c().kind === 'ack' ? i18n.t('ackDueIn') : i18n.t('resolveDueIn')}</small>
              {formatCountdown(c().msLeft)}
            </span>
          )}
        </Show>
      </div>
    </li>
  );
}

/** The left column: filters and the alert queue, gravest and oldest first. */
export function DeskQueue(props: { desk: DeskState }) {
  const { desk } = props;
  const { i18n } = desk;
  return (
    <section class="desk__queue">
      <QueueFilterBar desk={desk} />
      <h2 class="desk__h2">
        {i18n.t('queue')} <span class="desk__count">{desk.queue().length}</span>
      </h2>
      <Show when={desk.queue().length > 0} fallback={<p class="desk__empty">{i18n.t('noAlertsHere')}</p>}>
        <ol class="queue" data-testid="queue" ref={(n) => (desk.refs.queue = n)}>
          <For each={desk.queue()}>{(a) => <QueueItem desk={desk} alert={a} />}</For>
        </ol>
      </Show>
    </section>
  );
}
