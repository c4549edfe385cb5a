import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { createEffect, createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Lang } from '@shared/labels';
import type { HistoryOverview, ReplaySpeed } from '@shared/replay';
import { formatReplayMoment, makeReplayI18n, refusalText } from '../i18n/replay';
import { clearAddressMoment, createAddressMoment } from '../stores/address-moment';
import type { LiveStore } from '../stores/live-store';
import { hueMoment } from '../stores/replay-clock';
import './time-bar.css';
import { barSpan, DEFAULT_PLAY_SPEED, emptyOverview, HANDLE_STEP_MS, histogramOption, stepMark, TIME_BAR_SPEEDS } from './time-bar';

use([BarChart, GridComponent, CanvasRenderer]);

export interface TimeBarProps {
  lang: Lang;
  live: Pick<LiveStore, 'replay' | 'presentNow'>;
  /** Credentials for GET /api/v1/history (a console's bearer token). @default the cookie alone */
  headers?: () => Record<string, string>;
}

/** GET /api/v1/history for the span; null when the server does not answer it (the bar then has no histogram). */
async function loadOverview(span: { fromMs: number; toMs: number }, headers: Record<string, string>): Promise<HistoryOverview | null> {
  const q = new URLSearchParams({ from: hueMoment(span.fromMs), to: hueMoment(span.toMs) });
  try {
    const res = await fetch(`/api/v1/history?${q.toString()}`, { headers });
    if (!res.ok) return null;
    return (await res.json()) as HistoryOverview;
  } catch {
    return null;
  }
}

/**
 * The desk's time bar (issue 20): reports, incidents and alerts per hour over the last week, a handle
 * to drag to a moment, play/pause, speed, previous/next alert or incident, and LIVE to come back.
 * It drives the page's own live store (its socket replays or is live), and the address follows it.
 */
export function TimeBar(props: TimeBarProps) {
  const i18n = makeReplayI18n(props.lang);
  const { replay } = props.live;
  createAddressMoment(replay);
  // The span is fixed when the bar opens (the last week); the handle's end follows the present.
  const span = barSpan(props.live.presentNow(), null);
  const [overview] = createResource(() => loadOverview(span, props.headers?.() ?? {}));
  const view = () => overview() ?? emptyOverview(span.fromMs, span.toMs);
  const minMs = () => Math.max(span.fromMs, view().range ? Date.parse(view().range!.fromAt) : span.fromMs);

  const [playSpeed, setPlaySpeed] = createSignal<ReplaySpeed>(replay.status()?.speed || DEFAULT_PLAY_SPEED);
  const [dragging, setDragging] = createSignal<number | null>(null);
  const momentMs = () => replay.at() ?? props.live.presentNow();
  const handleMs = () => dragging() ?? momentMs();
  const playing = () => (replay.status()?.speed ?? 0) > 0;

  // Moments go to the server to the second: the first second of history is the first whole one in it.
  const seek = (atMs: number, speed: ReplaySpeed) => {
    const ms = Math.min(Math.max(Math.floor(atMs / 1000) * 1000, Math.ceil(minMs() / 1000) * 1000), props.live.presentNow());
    void replay.start(hueMoment(ms), speed);
  };
  const currentSpeed = (): ReplaySpeed => replay.status()?.speed ?? 0;
  const step = (dir: 1 | -1) => {
    const mark = stepMark(view().marks, momentMs(), dir);
    if (mark) seek(Date.parse(mark.at), currentSpeed());
  };
  const goLive = () => {
    void replay.stop();
    clearAddressMoment();
  };

  let chartEl: HTMLDivElement | undefined;
  onMount(() => {
    if (!chartEl) return;
    const chart = init(chartEl, undefined, { renderer: 'canvas' });
    createEffect(() => {
      chart.setOption(histogramOption(view().hours, minMs(), span.toMs, { reports: i18n.t('reports'), incidents: i18n.t('incidents'), alerts: i18n.t('alerts') }), { notMerge: true });
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(chartEl);
    onCleanup(() => {
      ro.disconnect();
      chart.dispose();
    });
  });

  const position = () => {
    const lo = minMs();
    const hi = span.toMs;
    return hi > lo ? Math.min(1, Math.max(0, (handleMs() - lo) / (hi - lo))) : 1;
  };

  return (
    <section class="timebar" classList={{ 'timebar--replay': replay.status() !== null }} data-testid="time-bar" aria-label={i18n.t('timeBar')}>
      <div class="timebar__controls">
        <button class="timebar__btn" data-testid="time-bar-previous" title={i18n.t('previousMark')} aria-label={i18n.t('previousMark')} disabled={!stepMark(view().marks, momentMs(), -1)} onClick={() => step(-1)}>
          |◀
        </button>
        <button
          class="timebar__btn timebar__btn--play"
          data-testid="time-bar-play"
          disabled={replay.status() === null}
          aria-label={playing() ? i18n.t('pause') : i18n.t('play')}
          onClick={() => seek(momentMs(), playing() ? 0 : playSpeed())}
        >
          {playing() ? '❚❚' : '▶'}
        </button>
        <button class="timebar__btn" data-testid="time-bar-next" title={i18n.t('nextMark')} aria-label={i18n.t('nextMark')} disabled={!stepMark(view().marks, momentMs(), 1)} onClick={() => step(1)}>
          ▶|
        </button>
        <label class="timebar__speed">
          <span>{i18n.t('speed')}</span>
          <select
            data-testid="time-bar-speed"
            value={String(playSpeed())}
            onChange={(e) => {
              const s = Number(e.currentTarget.value) as ReplaySpeed;
              setPlaySpeed(s);
              if (playing()) seek(momentMs(), s);
            }}
          >
            <For each={TIME_BAR_SPEEDS}>{(s) => <option value={String(s)}>{`${s}×`}</option>}</For>
          </select>
        </label>
        <span class="timebar__moment" data-testid="time-bar-moment">
          <Show when={replay.status()} fallback={i18n.t('live')}>
            {i18n.t('replay')} · {formatReplayMoment(handleMs(), true)}
          </Show>
        </span>
        <button class="timebar__live" classList={{ 'timebar__live--on': replay.status() === null }} data-testid="time-bar-live" onClick={goLive}>
          ● {i18n.t('live')}
        </button>
      </div>
      <div class="timebar__track">
        <div class="timebar__chart" data-testid="time-bar-histogram" data-hours={view().hours.length} ref={(n) => (chartEl = n)} />
        <For each={view().marks}>
          {(m) => {
            const x = () => {
              const lo = minMs();
              return ((Date.parse(m.at) - lo) / Math.max(1, span.toMs - lo)) * 100;
            };
            return <span class={`timebar__mark timebar__mark--${m.kind}`} style={{ left: `${x()}%` }} />;
          }}
        </For>
        <div class="timebar__cursor" style={{ left: `${position() * 100}%` }} />
        <input
          class="timebar__handle"
          data-testid="time-bar-handle"
          type="range"
          min={minMs()}
          max={span.toMs}
          step={HANDLE_STEP_MS}
          value={handleMs()}
          aria-label={i18n.t('timeBar')}
          aria-valuetext={formatReplayMoment(handleMs(), true)}
          onInput={(e) => setDragging(Number(e.currentTarget.value))}
          onChange={(e) => {
            // Read before letting go: clearing the drag sets the input back to the moment shown.
            const atMs = Number(e.currentTarget.value);
            setDragging(null);
            seek(atMs, currentSpeed());
          }}
        />
      </div>
      <Show when={overview.state === 'ready' && overview() === null}>
        <p class="timebar__note" data-testid="time-bar-no-histogram">
          {i18n.t('noHistogram')}
        </p>
      </Show>
      <Show when={replay.error()}>
        {(e) => (
          <p class="timebar__error" data-testid="time-bar-error" role="alert">
            {refusalText(e(), i18n)}
          </p>
        )}
      </Show>
    </section>
  );
}
