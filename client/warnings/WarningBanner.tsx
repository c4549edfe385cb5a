import { Show } from 'solid-js';
import type { I18n } from '../i18n/wall';
import type { ActiveWarning } from './active-warnings';
import { formatWarningTime, senderOf, SEVERITY_COLORS, SEVERITY_LABELS, URGENCY_LABELS } from './warning-text';
import './warnings.css';

export interface WarningBannerProps {
  i18n: I18n;
  /** The warnings in force, gravest first; the banner shows the first and counts the rest. */
  warnings: readonly ActiveWarning[];
}

/** The expiry as the banner and the list say it: its Huế time, or "until further notice". */
export function expiryText(i18n: I18n, w: ActiveWarning): string {
  const expires = w.warning.expires;
  return expires ? i18n.t('warningUntil', { time: formatWarningTime(expires) }) : i18n.t('warningNoExpiry');
}

/**
 * Disaster mode's banner across the top of every scene: what, how grave, how urgent, until when and
 * from whom, then the sender's headline. Sized to be read from 5 m; orange for Severe, red for Extreme.
 */
export function WarningBanner(props: WarningBannerProps) {
  const { i18n } = props;
  const first = () => props.warnings[0];
  return (
    <Show when={first()}>
      {(w) => (
        <section
          class="warning-banner"
          data-testid="warning-banner"
          data-warning={w().id}
          data-severity={w().severity}
          role="alert"
          style={{ background: SEVERITY_COLORS[w().severity].background, color: SEVERITY_COLORS[w().severity].text }}
        >
          <div class="warning-banner__severity" data-testid="warning-banner-severity">
            {i18n.label(SEVERITY_LABELS[w().severity])}
          </div>
          <div class="warning-banner__main">
            <div class="warning-banner__line">
              <span class="warning-banner__event" data-testid="warning-banner-event">
                {w().warning.event}
              </span>
              <span class="warning-banner__fact" data-testid="warning-banner-urgency">
                {i18n.label(URGENCY_LABELS[w().warning.urgency])}
              </span>
              <span class="warning-banner__fact" data-testid="warning-banner-expires">
                {expiryText(i18n, w())}
              </span>
            </div>
            <div class="warning-banner__line warning-banner__line--small">
              <Show when={w().warning.headline}>
                <span class="warning-banner__headline" data-testid="warning-banner-headline">
                  {w().warning.headline}
                </span>
              </Show>
              <span class="warning-banner__sender" data-testid="warning-banner-sender">
                {i18n.t('warningSender')}: {senderOf(w().warning)}
              </span>
            </div>
          </div>
          <Show when={props.warnings.length > 1}>
            <div class="warning-banner__more" data-testid="warning-banner-more">
              {i18n.t('warningMore', { n: props.warnings.length - 1 })}
            </div>
          </Show>
        </section>
      )}
    </Show>
  );
}
