import { Show } from 'solid-js';
import { makeReplayI18n } from '../i18n/replay';
import { ReplayBanner } from '../ui/ReplayBanner';
import { TimeBar } from '../ui/TimeBar';
import { authHeaders } from '../auth/session';
import type { SessionInfo } from '../auth/session';
import { FocusMap } from '../map/FocusMap';
import { createWardCollection } from '../map/wards-source';
import { AlertDetail } from './AlertDetail';
import { createConsoleLive } from './console-store';
import { createDeskKeys } from './desk-keys';
import { createDeskState } from './desk-state';
import { roleText, wardName } from './desk-text';
import { DeskQueue } from './DeskQueue';
import { mapFocusOf, mapLitOf } from './situation';
import type { ConsoleI18n } from './i18n';

/** The duty desk of one session: the queue, the map of the selected alert's ward, its detail, the shortcuts. */
export function ConsoleDesk(props: { i18n: ConsoleI18n; session: SessionInfo; onSignOut: () => void; onSessionEnded: () => void }) {
  const { i18n, session } = props;
  const desk = createDeskState({ session, i18n, live: createConsoleLive(session.token, window.location.search, () => props.onSessionEnded()) });
  createDeskKeys(desk);
  const wards = createWardCollection();
  const replayI18n = makeReplayI18n(i18n.lang);
  const replay = desk.live.replay;
  // A situation is the city's: the map zooms to its unit only on that unit's page (the ward filter).
  const mapFocus = () => mapFocusOf(desk.selected(), desk.filters().ward);
  // …and lights every unit it lists, so the officer sees the flood's extent at a glance.
  const mapLit = () => mapLitOf(desk.selected());

  return (
    <div class="desk" classList={{ 'desk--replay': desk.replaying() }} data-testid="console-desk" data-role={session.role}>
      <header class="desk__header">
        <h1 class="desk__title">{i18n.t('title')}</h1>
        <Show when={replay.status()}>{(r) => <ReplayBanner i18n={replayI18n} at={replay.at()} speed={r().speed} seeking={r().phase === 'seeking' && replay.at() === null} />}</Show>
        <span
          class="desk__conn"
          classList={{ 'desk__conn--down': !desk.live.connected() }}
          data-testid="console-connection"
          data-connected={String(desk.live.connected())}
        >
          {desk.live.connected() ? i18n.t('connected') : i18n.t('disconnected')}
        </span>
        <span class="desk__user" data-testid="console-user">
          {i18n.t('signedInAs', { name: session.name, role: roleText(session.role, i18n) })}
        </span>
        <button class="btn" data-testid="sign-out" onClick={() => props.onSignOut()}>
          {i18n.t('signOut')}
        </button>
      </header>

      <Show when={!desk.mayAct}>
        <p class="desk__readonly" data-testid="read-only-note" role="note">
          {i18n.t('viewerReadOnly')}
        </p>
      </Show>
      <Show when={desk.mayAct && desk.replaying()}>
        <p class="desk__readonly desk__readonly--replay" data-testid="replay-note" role="note">
          {i18n.t('noActionsInReplay')}
        </p>
      </Show>

      <DeskQueue desk={desk} />

      <section class="desk__map">
        <FocusMap collection={wards} focus={mapFocus} lit={mapLit} testId="console-map" />
        <Show when={mapFocus()}>{(code) => <div class="desk__map-name">{wardName(code(), i18n)}</div>}</Show>
      </section>

      <AlertDetail desk={desk} />

      <footer class="desk__keys" data-testid="shortcuts">
        <strong>{i18n.t('shortcuts')}:</strong>
        <span>
          <kbd>j</kbd>/<kbd>k</kbd> <kbd>↓</kbd>/<kbd>↑</kbd> {i18n.t('keyMove')}
        </span>
        <span>
          <kbd>a</kbd> {i18n.t('keyAck')}
        </span>
        <span>
          <kbd>r</kbd> {i18n.t('keyResolve')}
        </span>
        <span>
          <kbd>/</kbd> {i18n.t('keyFilter')}
        </span>
        <span>
          <kbd>Esc</kbd> {i18n.t('keyEscape')}
        </span>
      </footer>

      <TimeBar lang={i18n.lang} live={desk.live} headers={() => authHeaders(session)} />
    </div>
  );
}
