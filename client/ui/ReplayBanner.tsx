import { Show } from 'solid-js';
import type { ReplaySpeed } from '@shared/replay';
import { formatReplayMoment, type ReplayI18n } from '../i18n/replay';

/**
 * A replay must never pass for the present on a leader's wall (issue 20): "PHÁT LẠI · 04:00 28/10",
 * the replayed moment to the minute, in a colour no live state uses (violet; amber is demo data and
 * staleness, red a lost connection and alarms, green live, magenta severity 4).
 */
export function ReplayBanner(props: { i18n: ReplayI18n; at: number | null; speed: ReplaySpeed; seeking: boolean }) {
  return (
    <div class="replay-banner" data-testid="replay-banner" data-speed={props.speed} role="status">
      <span class="replay-banner__text" data-testid="replay-banner-text">
        <Show when={props.at !== null && !props.seeking} fallback={`${props.i18n.t('replay')} · ${props.i18n.t('seeking')}`}>
          {`${props.i18n.t('replay')} · ${formatReplayMoment(props.at ?? 0)}`}
        </Show>
      </span>
      <span class="replay-banner__speed">{props.speed === 0 ? props.i18n.t('held') : `×${props.speed}`}</span>
    </div>
  );
}

/** A refused replay, said on screen (never only in the console): what was asked and why it cannot be shown. */
export function ReplayRefused(props: { text: string; testId?: string }) {
  return (
    <p class="replay-refused" data-testid={props.testId ?? 'replay-error'} role="alert">
      {props.text}
    </p>
  );
}
