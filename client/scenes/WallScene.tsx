import { Show, lazy } from 'solid-js';
import type { I18n } from '../i18n/wall';
import { createSceneRotation } from '../stores/scene-rotation';
import type { LiveStore } from '../stores/live-store';
import { SCENE_IDS, settingsFromSearch } from '../stores/wall-settings';
import type { SceneId, WallSettings } from '../stores/wall-settings';
import { AlertTicker } from '../ui/AlertTicker';
import { DemoBanner } from '../ui/DemoBanner';
import { FreshnessBadge } from '../ui/FreshnessBadge';
import { SceneIndicator } from '../ui/SceneIndicator';
import { WallClock } from '../ui/WallClock';
import { MapScene } from './MapScene';
import { RankingScene } from './RankingScene';

// ECharts is loaded when the charts scene first comes round, as its own chunk: the wall's first
// paint (map, tiles, alerts) does not wait for it.
const ChartsScene = lazy(() => import('./ChartsScene').then((m) => ({ default: m.ChartsScene })));

export interface WallSceneProps {
  i18n: I18n;
  live: LiveStore;
  /** @default read from the page's address (`?rotate=`, `?scene=`, `?fill=`) */
  settings?: WallSettings;
}

/**
 * The wall: a header (title, demo banner, freshness, scene indicator, clock), the scenes taking
 * turns, and the alert ticker along the bottom of every scene.
 */
export function WallScene(props: WallSceneProps) {
  const { i18n, live } = props;
  const settings = props.settings ?? settingsFromSearch(window.location.search);
  const rotation = createSceneRotation(settings, live.now);
  const scenes: readonly SceneId[] = settings.pinnedScene ? [settings.pinnedScene] : SCENE_IDS;
  const scene = () => rotation().scene;
  const data = () => live.state.data;

  return (
    <div class="wall" classList={{ 'wall--stale': live.stale() }} lang={i18n.lang} data-scene={scene()}>
      <header class="wall__header">
        <h1 class="wall__title">{i18n.t('title')}</h1>
        <Show when={data()?.demo}>
          <DemoBanner i18n={i18n} />
        </Show>
        <SceneIndicator
          i18n={i18n}
          scenes={scenes}
          current={scene()}
          remainingS={rotation().remainingMs === null ? null : Math.ceil((rotation().remainingMs ?? 0) / 1000)}
          periodS={settings.rotateMs / 1000}
        />
        <FreshnessBadge
          i18n={i18n}
          connected={live.connected()}
          stale={live.stale()}
          lastMessageAt={live.lastMessageAt()}
          now={live.now()}
        />
        <WallClock i18n={i18n} now={live.now()} />
      </header>
      <main class="wall__body">
        {/*
         * The map stays built while other scenes are up (only hidden): rebuilding MapLibre and
         * deck.gl every rotation would churn WebGL contexts on a wall that runs for weeks.
         * The lighter scenes are built when they come round and disposed when they go.
         */}
        <Show when={scenes.includes('map')}>
          <div class="scene" classList={{ 'scene--hidden': scene() !== 'map' }} data-testid="scene-map">
            <MapScene i18n={i18n} live={live} fill={() => rotation().fill} />
          </div>
        </Show>
        <Show when={scene() === 'ranking'}>
          <div class="scene" data-testid="scene-ranking">
            <RankingScene i18n={i18n} live={live} />
          </div>
        </Show>
        <Show when={scene() === 'charts'}>
          <div class="scene" data-testid="scene-charts">
            <ChartsScene i18n={i18n} live={live} />
          </div>
        </Show>
      </main>
      <AlertTicker i18n={i18n} alerts={data()?.alerts} stale={live.stale()} />
    </div>
  );
}
