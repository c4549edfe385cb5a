import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Briefing } from '@shared/briefing';
import { LoginForm } from '../auth/LoginForm';
import type { SignInError } from '../auth/session';
import { wardFullName } from '../i18n/ward-names';
import { createWardCollection } from '../map/wards-source';
import type { WardCollection } from '../map/wards-source';
import type { BriefingI18n } from './i18n';
import { Masthead } from './Masthead';
import { RankingView } from './RankingView';
import { ScreenTour } from './ScreenTour';
import { SummaryView } from './SummaryView';
import type { BriefingParams } from './tour';
import { WardOutline } from './WardOutline';
import { WardView } from './WardView';
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
            <WardView b={props.b} page={w} i18n={i18n} position={i() + 1} map={<WardOutline collection={props.collection} ward={w.ward} name={wardFullName(w.ward, i18n.lang)} />} />
          </div>
        )}
      </For>
    </div>
  );
}
