import { Show, createMemo, lazy } from 'solid-js';
import { wardByCode } from '@shared/wards';
import { wallTitle } from '../i18n/wall';
import type { I18n } from '../i18n/wall';
import { geometryBbox } from '../map/geo';
import type { BBox } from '../map/geo';
import { createWardCollection, servedProvince } from '../map/wards-source';
import { createAddressMoment } from '../stores/address-moment';
import { createSceneRotation } from '../stores/scene-rotation';
import type { LiveStore } from '../stores/live-store';
import { settingsFromSearch } from '../stores/wall-settings';
import type { WallSettings } from '../stores/wall-settings';
import { union as unionBoxes, warningsBounds } from '../warnings/active-warnings';
import { createActiveWarnings } from '../warnings/create-active-warnings';
import { createOperatingPicture } from '../warnings/create-operating-picture';
import { WarningBanner } from '../warnings/WarningBanner';
import { AlertTicker } from '../ui/AlertTicker';
import { makeReplayI18n, refusalText } from '../i18n/replay';
import { DemoBanner } from '../ui/DemoBanner';
import { ReplayBanner, ReplayRefused } from '../ui/ReplayBanner';
import { FreshnessBadge } from '../ui/FreshnessBadge';
import { SceneIndicator } from '../ui/SceneIndicator';
import { WallClock } from '../ui/WallClock';
import { MapScene } from './MapScene';
import { RankingScene } from './RankingScene';
import { WarningsScene } from './WarningsScene';

// ECharts is loaded when the charts scene first comes round, as its own chunk: the wall's first
// paint (map, tiles, alerts) does not wait for it.
const ChartsScene = lazy(() => import('./ChartsScene').then((m) => ({ default: m.ChartsScene })));

export interface WallSceneProps {
  i18n: I18n;
  live: LiveStore;
  /** @default read from the page's address (`?rotate=`, `?scene=`, `?fill=`) */
  settings?: WallSettings;
  /** Why the address's `?at=&speed=` could not be read (shown on screen), or null. */
  addressError?: string | null;
}

/**
 * The wall: a header (title, demo banner, freshness, scene indicator, clock), the banner of any CAP
 * warning in force, the scenes taking turns, and the alert ticker along the bottom of every scene.
 */
export function WallScene(props: WallSceneProps) {
  const { i18n, live } = props;
  const replayI18n = makeReplayI18n(i18n.lang);
  const replaying = () => live.replay.status();
  // The address follows the replay, so a reload or a copied link opens the moment reached.
  createAddressMoment(live.replay);
  const replayProblem = () => {
    const e = live.replay.error();
    if (e) return `${refusalText(e, replayI18n)} — ${replayI18n.t('showingLive')}`;
    return props.addressError ? `${replayI18n.t('failed', { m: props.addressError })} — ${replayI18n.t('showingLive')}` : null;
  };
  const settings = props.settings ?? settingsFromSearch(window.location.search);
  const data = () => live.state.data;
  const wardCollection = createWardCollection();
  // Judged by the server's time: a wall whose clock is wrong must not end a warning early or late.
  const warnings = createActiveWarnings(() => data()?.incidents ?? [], live.serverNow, () => wardCollection());
  // The common operating picture: from the held alerts, reports and incidents at the server's (or
  // the replayed) time, so a replay shows it as it stood then.
  const cop = createOperatingPicture(data, warnings, live.serverNow);
  const warningBounds = createMemo((): BBox | null => {
    const coll = wardCollection();
    const boxOf = (code: string) => {
      const f = coll?.features.find((w) => w.properties.code === code);
      if (f) return geometryBbox(f.geometry);
      const c = wardByCode(code)?.center;
      return c ? ([c[0], c[1], c[0], c[1]] as BBox) : undefined;
    };
    const fromWarnings = warningsBounds(warnings(), boxOf);
    // A situation's units may lie outside the warnings' areas (or there is no warning): they are shown too.
    const units = (cop()?.units ?? []).map((u) => boxOf(u.ward)).filter((b) => b !== undefined);
    return units.length === 0 ? fromWarnings : unionBoxes(fromWarnings ? [fromWarnings, ...units] : units);
  }, null, { equals: (a, b) => a?.join() === b?.join() });
  // Disaster mode: a warning in force, or a situation open without one, brings the warnings scene.
  const rotation = createSceneRotation(settings, live.now, () => warnings().length > 0 || cop() !== null);
  const scenes = rotation.scenes;
  const scene = () => rotation.state().scene;

  return (
    <div
      class="wall"
      classList={{ 'wall--stale': live.stale(), 'wall--warning': warnings().length > 0, 'wall--replay': replaying() !== null, 'wall--replay-error': replayProblem() !== null }}
      lang={i18n.lang}
      data-scene={scene()}
      data-replay={replaying() ? 'true' : 'false'}
    >
      <header class="wall__header">
        <h1 class="wall__title" data-testid="wall-title" data-province={servedProvince()?.code ?? ''}>
          {wallTitle(i18n, servedProvince())}
        </h1>
        <Show when={data()?.demo}>
          <DemoBanner i18n={i18n} />
        </Show>
        <SceneIndicator
          i18n={i18n}
          scenes={scenes()}
          current={scene()}
          remainingS={rotation.state().remainingMs === null ? null : Math.ceil((rotation.state().remainingMs ?? 0) / 1000)}
          periodS={settings.rotateMs / 1000}
        />
        {/* Replaying, the banner takes the place of LIVE; a lost connection still shows. */}
        <Show when={replaying()}>{(r) => <ReplayBanner i18n={replayI18n} at={live.replay.at()} speed={r().speed} seeking={r().phase === 'seeking' && live.replay.at() === null} />}</Show>
        <Show when={!replaying() || live.stale()}>
          <FreshnessBadge
            i18n={i18n}
            connected={live.connected()}
            stale={live.stale()}
            lastMessageAt={live.lastMessageAt()}
            now={live.now()}
          />
        </Show>
        <WallClock i18n={i18n} now={live.shownNow()} replay={replaying() !== null} />
      </header>
      <Show when={replayProblem()}>{(text) => <ReplayRefused text={text()} />}</Show>
      <Show when={warnings().length > 0}>
        <WarningBanner i18n={i18n} warnings={warnings()} />
      </Show>
      <main class="wall__body">
        {/*
         * The map stays built while other scenes are up (only hidden): rebuilding MapLibre and
         * deck.gl every rotation would churn WebGL contexts on a wall that runs for weeks.
         * The lighter scenes are built when they come round and disposed when they go. The map is
         * first built once the first snapshot is in: building it holds the page's main thread (in
         * software WebGL for seconds), and the socket's connect, a replay's seek and the tiles
         * would wait behind it (bench:replay-wall's first frame).
         */}
        <Show when={scenes().includes('map') && data() !== null}>
          <div class="scene" classList={{ 'scene--hidden': scene() !== 'map' }} data-testid="scene-map">
            <MapScene i18n={i18n} live={live} fill={() => rotation.state().fill} warnings={warnings} />
          </div>
        </Show>
        {/*
         * Built when a warning comes into force and kept (hidden) while any is, for the same reason
         * as the map; disposed when the last one ends. The scene itself is named "warnings" in
         * the indicator only while it takes turns.
         */}
        <Show when={scenes().includes('warnings')}>
          <div class="scene" classList={{ 'scene--hidden': scene() !== 'warnings' }} data-testid="scene-warnings">
            <WarningsScene i18n={i18n} warnings={warnings} bounds={warningBounds} incidents={() => data()?.incidents ?? []} cop={cop} />
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
