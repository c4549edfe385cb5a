import { createEffect, createMemo, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Briefing } from '@shared/briefing';
import { wardFullName } from '../i18n/ward-names';
import { FocusMap } from '../map/FocusMap';
import type { WardCollection } from '../map/wards-source';
import { createNow } from '../stores/clock';
import type { BriefingI18n } from './i18n';
import { Masthead } from './Masthead';
import { RankingView } from './RankingView';
import { SummaryView } from './SummaryView';
import type { BriefingParams } from './tour';
import { EMPTY_TYPEAHEAD, matchWard, searchFor, stepPage, tourPages, typeKey, typing } from './tour';
import { WardView } from './WardView';

/** How often the seconds to the next page and the type-ahead hint are redrawn. */
const TOUR_TICK_MS = 250;

/** The meeting on screen: one page at a time, ←/→, space to pause, type a ward's name to jump, each page its own URL. */
export function ScreenTour(props: { b: Briefing; i18n: BriefingI18n; params: BriefingParams; collection: () => WardCollection | undefined }) {
  const { i18n, params } = props;
  const pages = tourPages(
    props.b.wards.map((w) => w.ward),
    params.order,
  );
  const initial = pages.includes(params.page) ? params.page : 'summary';
  const [page, setPage] = createSignal(initial);
  const [paused, setPaused] = createSignal(false);
  const [typed, setTyped] = createSignal(EMPTY_TYPEAHEAD);
  const now = createNow(TOUR_TICK_MS);
  const [pageSince, setPageSince] = createSignal(Date.now());

  const wardNames = props.b.wards.map((w) => ({ code: w.ward, name: w.name }));
  const wardPage = createMemo(() => props.b.wards.find((w) => w.ward === page()) ?? null);
  const position = () => pages.indexOf(page()) + 1;

  const go = (next: string) => {
    if (next === page()) return;
    setPage(next);
    setPageSince(Date.now());
  };

  // The address bar always names the page, ready to paste into the meeting chat.
  createEffect(() => {
    const search = searchFor(window.location.search, props.b.week, page());
    window.history.replaceState(null, '', `${window.location.pathname}${search}`);
  });

  // The tour moves on by itself on ward pages, unless paused or switched off (advance=0).
  createEffect(() => {
    if (!wardPage() || paused() || params.advanceS <= 0) return;
    const from = page();
    const timer = setTimeout(() => go(stepPage(pages, from, 1)), params.advanceS * 1000);
    onCleanup(() => clearTimeout(timer));
  });
  const secondsLeft = () => Math.max(0, Math.ceil((pageSince() + params.advanceS * 1000 - now()) / 1000));

  const onKey = (e: KeyboardEvent) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
    const at = Date.now();
    if (e.key === 'ArrowRight' || e.key === 'PageDown') {
      e.preventDefault();
      setTyped(EMPTY_TYPEAHEAD);
      go(stepPage(pages, page(), 1));
      return;
    }
    if (e.key === 'ArrowLeft' || e.key === 'PageUp') {
      e.preventDefault();
      setTyped(EMPTY_TYPEAHEAD);
      go(stepPage(pages, page(), -1));
      return;
    }
    if (e.key === 'Home') {
      go('summary');
      return;
    }
    const next = typeKey(typed(), e.key, at);
    if (next) {
      e.preventDefault();
      setTyped(next);
      const code = matchWard(next.text, wardNames);
      if (code) go(code);
      return;
    }
    if (e.key === ' ' && !typing(typed(), at)) {
      e.preventDefault();
      setPaused(!paused());
      setPageSince(Date.now());
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));

  // The map lies over the ward page's map slot; measured, so the page's layout alone decides where.
  let stage: HTMLDivElement | undefined;
  let mapBox: HTMLDivElement | undefined;
  const placeMap = () => {
    const slot = stage?.querySelector('.map-slot');
    if (!stage || !mapBox || !slot) return;
    const outer = stage.getBoundingClientRect();
    const r = slot.getBoundingClientRect();
    Object.assign(mapBox.style, { left: `${r.left - outer.left}px`, top: `${r.top - outer.top}px`, width: `${r.width}px`, height: `${r.height}px` });
  };
  createEffect(() => {
    wardPage();
    queueMicrotask(placeMap);
  });
  window.addEventListener('resize', placeMap);
  onCleanup(() => window.removeEventListener('resize', placeMap));

  return (
    <div class="screen" data-testid="briefing" data-page={page()} data-paused={String(paused())}>
      <Masthead b={props.b} i18n={i18n} right={i18n.t('pageOf', { n: position(), total: pages.length })} />
      <main class="screen__body">
        <Switch>
          <Match when={page() === 'summary'}>
            <SummaryView b={props.b} i18n={i18n} />
          </Match>
          <Match when={page() === 'ranking'}>
            <RankingView rows={props.b.ranking} i18n={i18n} title={i18n.t('ranking')} />
          </Match>
        </Switch>
        {/* One map for the whole tour, so it flies from ward to ward instead of starting over. */}
        <div class="screen__ward" classList={{ 'screen__ward--hidden': !wardPage() }} ref={(n) => (stage = n)}>
          <Show when={wardPage()}>{(w) => <WardView b={props.b} page={w()} i18n={i18n} position={pages.indexOf(w().ward) - 1} map={<div class="map-slot" />} />}</Show>
          <div class="screen__map" ref={(n) => (mapBox = n)}>
            <FocusMap collection={props.collection} focus={() => wardPage()?.ward ?? null} testId="briefing-map" />
            <Show when={wardPage()}>{(w) => <div class="screen__map-name">{wardFullName(w().ward, i18n.lang)}</div>}</Show>
          </div>
        </div>
      </main>
      <footer class="screen__foot">
        <span>{i18n.t('keysHint')}</span>
        <Show when={wardPage() && params.advanceS > 0}>
          <span class="screen__timer" data-testid="advance-state">
            {paused() ? i18n.t('paused') : i18n.t('running', { s: secondsLeft() })}
          </span>
        </Show>
        <Show when={typing(typed(), now())}>
          <span class="screen__typed" data-testid="typeahead">
            {i18n.t('jumpTo', { q: typed().text })}
          </span>
        </Show>
        <a class="screen__link" href={`/briefing${searchFor(window.location.search, props.b.week, page())}&print=1`} target="_blank" rel="noopener">
          {i18n.t('printView')}
        </a>
        <a class="screen__link" data-testid="xlsx-link" href={`/api/v1/briefing/${props.b.week}.xlsx`} download={`IOC-Hue-giao-ban-${props.b.week}.xlsx`}>
          {i18n.t('downloadXlsx')}
        </a>
      </footer>
    </div>
  );
}
