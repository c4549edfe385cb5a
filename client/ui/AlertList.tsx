import { For, Show } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { wardByCode } from '@shared/wards';
import type { I18n } from '../i18n/wall';
import { WALL_ALERTS_SHOWN, alertsForWall } from './alert-order';

/** The ward's full name, or "city level" for a city-wide alert. */
export function alertPlace(i18n: I18n, code: string | null): string {
  return code ? (wardByCode(code)?.nameFull ?? code) : i18n.t('cityLevel');
}

export function AlertList(props: { i18n: I18n; alerts: readonly Alert[] | undefined; stale: boolean }) {
  const open = () => alertsForWall(props.alerts ?? []);
  const unowned = () => open().filter((a) => a.state === 'open').length;
  return (
    <section class="alerts" classList={{ 'alerts--stale': props.stale }} data-testid="alerts">
      <h2 class="panel-title">
        {props.i18n.t('openAlerts')} <span class="alerts__count" classList={{ 'alerts__count--none': unowned() === 0 }}>{open().length}</span>
      </h2>
      <Show when={open().length > 0} fallback={<div class="alerts__none">{props.i18n.t('noAlerts')}</div>}>
        <ul class="alerts__list">
          <For each={open().slice(0, WALL_ALERTS_SHOWN)}>
            {(a) => (
              <li
                class={`alert alert--sev${a.severity}`}
                classList={{
                  // Open alerts pulse until someone owns them; grave or escalated ones loudly.
                  'alert--open': a.state === 'open',
                  'alert--loud': a.state === 'open' && (a.severity >= 3 || a.level > 0),
                  'alert--ack': a.state === 'acknowledged',
                }}
                data-alert={a.id}
                data-testid={`alert-${a.id}`}
                data-state={a.state}
                data-level={a.level}
              >
                <div class="alert__head">
                  <span class="alert__title">{props.i18n.label(a.title)}</span>
                  <span class="alert__ward">{alertPlace(props.i18n, a.ward)}</span>
                </div>
                <Show
                  when={a.state === 'acknowledged' && a.acknowledged}
                  fallback={
                    <div class="alert__why">
                      <Show when={a.level > 0}>
                        <span class="alert__level">
                          {props.i18n.t('escalatedLevel')} {a.level}
                        </span>{' '}
                      </Show>
                      {props.i18n.label(a.explanation)}
                    </div>
                  }
                >
                  {(step) => (
                    <div class="alert__owner" data-testid={`alert-${a.id}-owner`}>
                      ✓ {props.i18n.t('acknowledgedBy')} — {step().by}
                    </div>
                  )}
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
