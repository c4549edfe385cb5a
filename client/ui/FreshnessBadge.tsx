import type { I18n } from '../i18n/wall';

export interface FreshnessBadgeProps {
  i18n: I18n;
  connected: boolean;
  stale: boolean;
  /** Wall-clock ms of the last message, or null before any. */
  lastMessageAt: number | null;
  now: number;
}

/** Live, or loudly not: a leader must never read old figures as current. */
export function FreshnessBadge(props: FreshnessBadgeProps) {
  const text = () => {
    if (!props.stale) return props.i18n.t('live');
    if (props.lastMessageAt === null) return props.i18n.t('connecting');
    return props.connected ? props.i18n.t('staleData') : props.i18n.t('disconnected');
  };
  const age = () => {
    if (props.lastMessageAt === null || !props.stale) return '';
    const s = Math.max(0, Math.round((props.now - props.lastMessageAt) / 1000));
    return s < 120 ? `${s} s` : `${Math.round(s / 60)} ph`;
  };
  return (
    <div
      class="freshness"
      classList={{ 'freshness--stale': props.stale, 'freshness--down': props.stale && !props.connected }}
      data-testid="freshness"
      data-state={props.stale ? 'stale' : 'live'}
      role="status"
    >
      <span class="freshness__dot" aria-hidden="true" />
      <span class="freshness__text">{text()}</span>
      <span class="freshness__age">{age()}</span>
    </div>
  );
}
