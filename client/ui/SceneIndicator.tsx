import { For, Show } from 'solid-js';
import type { I18n, StringKey } from '../i18n/wall';
import type { SceneId } from '../stores/wall-settings';

const SCENE_LABELS: Record<SceneId, StringKey> = { map: 'sceneMap', ranking: 'sceneRanking', charts: 'sceneCharts', warnings: 'sceneWarnings' };

export interface SceneIndicatorProps {
  i18n: I18n;
  scenes: readonly SceneId[];
  current: SceneId;
  /** Seconds until the next scene, or null when nothing rotates. */
  remainingS: number | null;
  /** The full period in seconds, for the progress bar. */
  periodS: number;
}

/** Which scene is up and how long it stays: a leader should know the ranking will come back. */
export function SceneIndicator(props: SceneIndicatorProps) {
  return (
    <div class="scenes" data-testid="scene-indicator" data-scene={props.current}>
      <For each={props.scenes}>
        {(s) => (
          <span class="scenes__item" classList={{ 'scenes__item--on': s === props.current, 'scenes__item--warning': s === 'warnings' }} data-scene-item={s}>
            {props.i18n.t(SCENE_LABELS[s])}
          </span>
        )}
      </For>
      <Show when={props.remainingS !== null}>
        <span class="scenes__countdown" data-testid="scene-countdown">
          {props.remainingS} s
        </span>
        <span class="scenes__progress" style={{ '--left': String((props.remainingS ?? 0) / Math.max(1, props.periodS)) }} aria-hidden="true" />
      </Show>
    </div>
  );
}
