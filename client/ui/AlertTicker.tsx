import { For, Show, createEffect, createSignal, onCleanup, onMount } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { HUE_TIME_ZONE } from '@shared/time';
import type { I18n } from '../i18n/wall';
import { alertPlace } from './AlertList';
import { tickerAlerts } from './ticker';
import { dateTimeFormat } from './intl-cache';

// Scroll speed as a share of the ticker's width per second: the same pace on 4K and 1080p, slow
// enough to read a line from 5 m.
const WIDTHS_PER_SECOND = 0.07;

function TickerItems(props: { i18n: I18n; alerts: readonly Alert[] }) {
  const time = (iso: string) =>
    dateTimeFormat(props.i18n.locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  return (
    <For each={props.alerts}>
      {(a) => (
        <span class={`ticker__item ticker__item--sev${a.severity}`} classList={{ 'ticker__item--escalated': a.level > 0 }} data-ticker-alert={a.id}>
          <span class="ticker__badge">{a.level > 0 ? `${props.i18n.t('tickerEscalated')} ${a.level}` : props.i18n.t('tickerNew')}</span>
          <span class="ticker__time">{time(a.escalatedAt ?? a.raisedAt)}</span>
          <span class="ticker__ward">{alertPlace(props.i18n, a.ward)}</span>
          <span class="ticker__title">{props.i18n.label(a.title)}</span>
          <span class="ticker__why">{props.i18n.label(a.explanation)}</span>
        </span>
      )}
    </For>
  );
}

/**
 * New and escalated alerts running along the bottom of every scene, so a leader watching the
 * ranking or the charts still sees a new hotspot the moment it is raised.
 */
export function AlertTicker(props: { i18n: I18n; alerts: readonly Alert[] | undefined; stale: boolean }) {
  const items = () => tickerAlerts(props.alerts ?? []);
  const [durationS, setDurationS] = createSignal(30);
  let box: HTMLDivElement | undefined;
  let copy: HTMLDivElement | undefined;

  onMount(() => {
    // The run takes as long as its text is wide, so the pace stays the same for one alert or ten.
    const measure = () => {
      if (!box || !copy) return;
      const perSecond = Math.max(1, box.clientWidth * WIDTHS_PER_SECOND);
      setDurationS(Math.max(8, copy.scrollWidth / perSecond));
    };
    const ro = new ResizeObserver(measure);
    if (box) ro.observe(box);
    if (copy) ro.observe(copy);
    createEffect(() => {
      items();
      queueMicrotask(measure);
    });
    onCleanup(() => ro.disconnect());
  });

  return (
    <footer
      class="ticker"
      classList={{ 'ticker--stale': props.stale, 'ticker--quiet': items().length === 0 }}
      data-testid="alert-ticker"
      data-count={items().length}
      ref={(el) => {
        box = el as HTMLDivElement;
      }}
    >
      <Show when={items().length > 0} fallback={<span class="ticker__none">{props.i18n.t('tickerNone')}</span>}>
        {/* Two copies side by side, moved left by one copy's width: a seamless loop. */}
        <div class="ticker__track" style={{ '--ticker-duration': `${durationS()}s` }}>
          <div
            class="ticker__copy"
            ref={(el) => {
              copy = el;
            }}
          >
            <TickerItems i18n={props.i18n} alerts={items()} />
          </div>
          <div class="ticker__copy" aria-hidden="true">
            <TickerItems i18n={props.i18n} alerts={items()} />
          </div>
        </div>
      </Show>
    </footer>
  );
}
