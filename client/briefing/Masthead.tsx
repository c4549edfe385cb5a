import { Show } from 'solid-js';
import type { Briefing } from '@shared/briefing';
import { formatDateTime, weekLabel } from './briefing-text';
import type { BriefingI18n } from './i18n';

/** The line atop every page: the week, whether it is still running, when the figures were computed, and the page. */
export function Masthead(props: { b: Briefing; i18n: BriefingI18n; right?: string }) {
  const { i18n } = props;
  return (
    <header class="masthead">
      <div class="masthead__title">
        {i18n.t('title')} · <strong>{weekLabel(props.b, i18n)}</strong>
        <Show when={props.b.partial}>
          <span class="masthead__partial"> — {i18n.t('partial')}</span>
        </Show>
      </div>
      <div class="masthead__stamp" data-testid="computed-at">
        {i18n.t('computedAt', { t: formatDateTime(props.b.computedAt, i18n.locale) })}
      </div>
      <Show when={props.right}>
        <div class="masthead__page">{props.right}</div>
      </Show>
    </header>
  );
}
