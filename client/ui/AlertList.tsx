import { For, Show } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n';
import { WALL_ALERTS_SHOWN, alertsForWall } from './alert-order';

export function AlertList(props: { i18n: I18n; alerts: readonly Alert[] | undefined; stale: boolean }) {
  const open = () => alertsForWall(props.alerts ?? []);
  const wardName = (code: string | null) => (code ? (wardByCode(code)?.nameFull ?? code) : props.i18n.t('cityLevel'));
  return (
    <section class="alerts" classList={{ 'alerts--stale': props.stale }} data-testid="alerts">
      <h2 class="panel-title">
        {props.i18n.t('openAlerts')} <span class="alerts__count" classList={{ 'alerts__count--none': open().length === 0 }}>{open().length}</span>
      </h2>
      <Show when={open().length > 0} fallback={<div class="alerts__none">{props.i18n.t('noAlerts')}</div>}>
        <ul class="alerts__list">
          <For each={open().slice(0, WALL_ALERTS_SHOWN)}>
            {(a) => (
              <li
                class={`alert alert--sev${a.severity}`}
                classList={{ 'alert--new': a.state === 'open' && a.severity >= 3 }}
                data-alert={a.id}
              >
                <div class="alert__head">
                  <span class="alert__title">{props.i18n.label(a.title)}</span>
                  <span class="alert__ward">{wardName(a.ward)}</span>
                </div>
                <div class="alert__why">{props.i18n.label(a.explanation)}</div>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
