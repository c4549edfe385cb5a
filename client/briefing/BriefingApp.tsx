import { createEffect, createMemo, createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Briefing } from '@shared/briefing';
import { HUE_TIME_ZONE } from '@shared/time';
import { parseIsoWeek } from '@shared/week';
import { FocusMap } from '../map/FocusMap';
import { createWardCollection } from '../map/wards-source';
import type { WardCollection } from '../map/wards-source';
import { LoginForm } from '../auth/LoginForm';
import type { SignInError } from '../auth/session';
import { formatDateTime, RankingView, SummaryView, wardTitle, WardView } from './BriefingViews';
import type { BriefingI18n } from './i18n';
import type { BriefingParams } from './tour';
import { EMPTY_TYPEAHEAD, matchWard, searchFor, stepPage, tourPages, typeKey, typing } from './tour';
import { WardOutline } from './WardOutline';
import './briefing.css';

/** Ranking rows per printed A4 page: 40 rows would not fit one page legibly, so two tables of 20. */
export const PRINT_RANKING_ROWS = 20;

type Load = { ok: true; briefing: Briefing } | { ok: false; status: number; message: string };

async function loadBriefing(week: string): Promise<Load> {
  const res = await fetch(`/api/v1/briefing?week=${encodeURIComponent(week)}`);
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, briefing: body as Briefing };
  const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
  return { ok: false, status: res.status, message };
}

/** /briefing: the weekly meeting, on screen (one page at a time, its own URL) or for print (every page). */
export function BriefingApp(props: { i18n: BriefingI18n; params: BriefingParams }) {
  const { i18n, params } = props;
  const [attempt, setAttempt] = createSignal(0);
  const [load] = createResource(attempt, () => loadBriefing(params.week));
  const collection = createWardCollection();
  document.title = `${i18n.t('title')} — ${params.week}`;
  if (params.print) document.documentElement.classList.add('briefing-print-root');
  onCleanup(() => document.documentElement.classList.remove('briefing-print-root'));

  const signInError = (e: SignInError) => (e.kind === 'wait' ? `${e.minutes} min` : e.kind === 'other' ? e.message : e.kind === 'wrong' ? '401' : 'network');

  return (
    <div class="briefing" classList={{ 'briefing--print': params.print, 'briefing--screen': !params.print }} lang={i18n.lang}>
      <Switch fallback={<p class="briefing__status">{i18n.t('loading')}</p>}>
        <Match when={load()?.ok === false && (load() as { status: number }).status === 401}>
          <div class="briefing__login">
            <LoginForm lang={i18n.lang} title={i18n.t('signInTitle')} errorText={signInError} onSignedIn={() => setAttempt(attempt() + 1)} />
          </div>
        </Match>
        <Match when={load()?.ok === false}>
          <p class="briefing__status briefing__status--error" role="alert" data-testid="briefing-error">
            {i18n.t('loadFailed', { m: (load() as { message: string }).message })}
          </p>
        </Match>
        <Match when={load()?.ok && (load() as { briefing: Briefing }).briefing}>
          {(b) => (
            <Show when={params.print} fallback={<ScreenTour b={b()} i18n={i18n} params={params} collection={collection} />}>
              <Show when={collection()}>{(c) => <PrintView b={b()} i18n={i18n} collection={c()} />}</Show>
            </Show>
          )}
        </Match>
      </Switch>
    </div>
  );
}

function weekLabel(b: Briefing, i18n: BriefingI18n): string {
  const w = parseIsoWeek(b.week);
  // Day/month spelled out by hand: Intl's Vietnamese short date uses dashes, which read like a range here.
  const d = (iso: string) => {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: HUE_TIME_ZONE, day: '2-digit', month: '2-digit' }).formatToParts(new Date(iso));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('day')}/${part('month')}`;
  };
  const lastDay = new Date(Date.parse(b.to) - 1).toISOString();
  return `${i18n.t('weekOf', { w: w?.week ?? b.week, y: w?.year ?? '' })} (${d(b.from)}–${d(lastDay)})`;
}

function Masthead(props: { b: Briefing; i18n: BriefingI18n; right?: string }) {
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

/** The meeting on screen: one page at a time, ←/→, space to pause, type a ward's name to jump, each page its own URL. */
function ScreenTour(props: { b: Briefing; i18n: BriefingI18n; params: BriefingParams; collection: () => WardCollection | undefined }) {
  const { i18n, params } = props;
  const pages = tourPages(
    props.b.wards.map((w) => w.ward),
    params.order,
  );
  const initial = pages.includes(params.page) ? params.page : 'summary';
  const [page, setPage] = createSignal(initial);
  const [paused, setPaused] = createSignal(false);
  const [typed, setTyped] = createSignal(EMPTY_TYPEAHEAD);
  const [now, setNow] = createSignal(Date.now());
  const [pageSince, setPageSince] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 250);
  onCleanup(() => clearInterval(tick));

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
            <Show when={wardPage()}>{(w) => <div class="screen__map-name">{wardTitle(w().ward, i18n)}</div>}</Show>
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

/** Every page for A4 landscape: summary, ranking in two tables of 20, then one page per ward. */
function PrintView(props: { b: Briefing; i18n: BriefingI18n; collection: WardCollection }) {
  const { i18n } = props;
  const parts = [props.b.ranking.slice(0, PRINT_RANKING_ROWS), props.b.ranking.slice(PRINT_RANKING_ROWS)].filter((p) => p.length > 0);
  let root: HTMLDivElement | undefined;
  // Fonts decide line breaks: say "ready to print" only once they are in.
  void document.fonts.ready.then(() => root?.setAttribute('data-ready', 'true'));
  return (
    <div class="print" data-testid="briefing-print" ref={(n) => (root = n)}>
      <div class="sheet" data-sheet="summary">
        <Masthead b={props.b} i18n={i18n} />
        <SummaryView b={props.b} i18n={i18n} />
      </div>
      <For each={parts}>
        {(rows, i) => (
          <div class="sheet" data-sheet={`ranking-${i() + 1}`}>
            <Masthead b={props.b} i18n={i18n} />
            <RankingView
              rows={rows}
              i18n={i18n}
              title={i18n.t('rankingPart', { from: i() * PRINT_RANKING_ROWS + 1, to: i() * PRINT_RANKING_ROWS + rows.length })}
              testId={`page-ranking-${i() + 1}`}
            />
          </div>
        )}
      </For>
      <For each={props.b.wards}>
        {(w, i) => (
          <div class="sheet" data-sheet={`ward-${w.ward}`}>
            <Masthead b={props.b} i18n={i18n} />
            <WardView b={props.b} page={w} i18n={i18n} position={i() + 1} map={<WardOutline collection={props.collection} ward={w.ward} name={wardTitle(w.ward, i18n)} />} />
          </div>
        )}
      </For>
    </div>
  );
}
