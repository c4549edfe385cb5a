import { createEffect, createMemo, createResource, createSignal, For, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import type { Alert } from '@shared/alerts';
import { INCIDENT_TYPE_LABELS, INCIDENT_TYPES, REPORT_CATEGORIES, REPORT_CATEGORY_LABELS } from '@shared/categories';
import type { Incident, PublicReport } from '@shared/schemas';
import { HUE_TIME_ZONE } from '@shared/time';
import { WARDS, wardByCode } from '@shared/wards';
import { LoginForm } from '../auth/LoginForm';
import type { SessionInfo } from '../auth/session';
import { authHeaders, canAct, currentSession, roleWard, signOut } from '../auth/session';
import { FocusMap } from '../map/FocusMap';
import { createWardCollection } from '../map/wards-source';
import { actionOutcome } from './actions';
import { createConsoleLive } from './console-store';
import type { ConsoleLive } from './console-store';
import { HotspotChart } from './HotspotChart';
import type { ConsoleI18n } from './i18n';
import { buildQueue, categoryKey, countdownOf, DEFAULT_FILTERS, formatCountdown, incidentKey, moveSelection } from './queue';
import type { QueueFilters, StateFilter } from './queue';
import './console.css';

interface Evidence {
  alert: Alert;
  reports: PublicReport[];
  incidents: Incident[];
}

/** /console: sign in, then the duty desk. Nothing of the desk exists before a session does. */
export function ConsolePage(props: { i18n: ConsoleI18n }) {
  const { i18n } = props;
  const [session, setSession] = createSignal<SessionInfo | null>(null);
  const [checked, setChecked] = createSignal(false);
  document.title = i18n.t('title');

  onMount(() => {
    // A reload keeps the session the cookie holds.
    void currentSession().then((s) => {
      if (s && !session()) setSession(s);
      setChecked(true);
    });
  });

  const out = async () => {
    const s = session();
    setSession(null);
    await signOut(s?.token);
  };

  return (
    <div class="console" lang={i18n.lang}>
      <Switch>
        <Match when={session()}>
          {(s) => <ConsoleDesk i18n={i18n} session={s()} onSignOut={() => void out()} />}
        </Match>
        <Match when={checked()}>
          <div class="console__login">
            <LoginForm lang={i18n.lang} title={i18n.t('signInTitle')} onSignedIn={setSession} />
          </div>
        </Match>
      </Switch>
    </div>
  );
}

function wardName(code: string | null, i18n: ConsoleI18n): string {
  if (code === null) return i18n.t('cityLevel');
  const w = wardByCode(code);
  if (!w) return code;
  return i18n.lang === 'vi' ? w.nameFull : toAsciiName(w.nameFull, w.name, w.nameAscii);
}

function toAsciiName(full: string, short: string, ascii: string): string {
  return full.replace(short, ascii).replace('Phường', 'Ward').replace('Xã', 'Commune');
}

function roleText(role: string, i18n: ConsoleI18n): string {
  const ward = roleWard(role);
  if (ward) return i18n.t('roleWard', { ward: wardName(ward, i18n) });
  if (role === 'viewer') return i18n.t('roleViewer');
  if (role === 'admin') return i18n.t('roleAdmin');
  return i18n.t('roleOfficer');
}

function formatTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone: HUE_TIME_ZONE, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', hour12: false }).format(
    new Date(iso),
  );
}

function ConsoleDesk(props: { i18n: ConsoleI18n; session: SessionInfo; onSignOut: () => void }) {
  const { i18n, session } = props;
  const live: ConsoleLive = createConsoleLive(session.token);
  const mayAct = canAct(session.role);

  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(tick));

  const wards = createWardCollection();

  const [filters, setFilters] = createSignal<QueueFilters>({ ...DEFAULT_FILTERS });
  const queue = createMemo(() => buildQueue(live.state.data?.alerts ?? [], filters()));
  const [selectedId, setSelectedId] = createSignal<string | null>(null);
  const selectedIndex = () => queue().findIndex((a) => a.id === selectedId());
  const selected = () => queue()[selectedIndex()] ?? null;

  // Keep something selected: the head of the queue when nothing (or a filtered-out alert) is.
  createEffect(() => {
    const q = queue();
    if (q.length > 0 && selectedIndex() < 0) setSelectedId(q[0]!.id);
  });

  const [mode, setMode] = createSignal<'ack' | 'resolve' | null>(null);
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<{ ok: boolean; text: string } | null>(null);
  let noteInput: HTMLInputElement | undefined;
  let wardFilter: HTMLSelectElement | undefined;
  let queueList: HTMLOListElement | undefined;

  const [evidence] = createResource(
    () => (mayAct ? selectedId() : null),
    async (id): Promise<Evidence | null> => {
      const res = await fetch(`/api/v1/alerts/${encodeURIComponent(id)}`, { headers: authHeaders(session) });
      if (!res.ok) return null;
      return (await res.json()) as Evidence;
    },
  );

  const startAction = (action: 'ack' | 'resolve') => {
    const a = selected();
    if (!mayAct || !a || a.state === 'resolved') return;
    if (action === 'ack' && a.state !== 'open') {
      setMessage({ ok: false, text: i18n.t('alreadyAcknowledged', { by: a.acknowledged?.by ?? '?' }) });
      return;
    }
    setMode(action);
    setNote('');
    setMessage(null);
    queueMicrotask(() => noteInput?.focus());
  };

  const cancel = () => {
    setMode(null);
    setNote('');
  };

  const confirm = async () => {
    const a = selected();
    const action = mode();
    if (!a || !action || busy()) return;
    const text = note().trim();
    if (action === 'resolve' && text === '') {
      setMessage({ ok: false, text: i18n.t('noteRequired') });
      return;
    }
    setBusy(true);
    // The server resolves only what someone owns: resolving an open alert acknowledges it first, with the same note.
    let result = a.state === 'open' || action === 'ack' ? await live.act('ack', a.id, text) : null;
    if (action === 'resolve' && (result === null || result.ok)) result = await live.act('resolve', a.id, text);
    setBusy(false);
    const outcome = actionOutcome(result!, action, i18n);
    setMessage(outcome);
    if (outcome.ok) cancel();
  };

  const onKey = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement | null;
    const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
    if (e.key === 'Escape') {
      cancel();
      (document.activeElement as HTMLElement | null)?.blur();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    const step = e.key === 'j' || e.key === 'ArrowDown' ? 1 : e.key === 'k' || e.key === 'ArrowUp' ? -1 : 0;
    if (step !== 0) {
      e.preventDefault();
      const next = queue()[moveSelection(selectedIndex(), step, queue().length)];
      if (next) {
        setSelectedId(next.id);
        cancel();
        queueList?.querySelector(`[data-id="${CSS.escape(next.id)}"]`)?.scrollIntoView({ block: 'nearest' });
      }
    } else if (e.key === 'a') {
      e.preventDefault();
      startAction('ack');
    } else if (e.key === 'r') {
      e.preventDefault();
      startAction('resolve');
    } else if (e.key === '/') {
      e.preventDefault();
      wardFilter?.focus();
    }
  };
  window.addEventListener('keydown', onKey);
  onCleanup(() => window.removeEventListener('keydown', onKey));

  const setFilter = <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => setFilters({ ...filters(), [key]: value });
  const wardsByName = [...WARDS].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const sourceText = (a: Alert) => i18n.t(a.source === 'hotspot' ? 'sourceHotspot' : a.source === 'incident' ? 'sourceIncident' : 'sourceThreshold');
  const kindText = (a: Alert) =>
    a.category ? i18n.label(REPORT_CATEGORY_LABELS[a.category]) : a.incidentType ? i18n.label(INCIDENT_TYPE_LABELS[a.incidentType]) : sourceText(a);

  return (
    <div class="desk" data-testid="console-desk" data-role={session.role}>
      <header class="desk__header">
        <h1 class="desk__title">{i18n.t('title')}</h1>
        <span class="desk__conn" classList={{ 'desk__conn--down': !live.connected() }} data-testid="console-connection" data-connected={String(live.connected())}>
          {live.connected() ? i18n.t('connected') : i18n.t('disconnected')}
        </span>
        <span class="desk__user" data-testid="console-user">
          {i18n.t('signedInAs', { name: session.name, role: roleText(session.role, i18n) })}
        </span>
        <button class="btn" data-testid="sign-out" onClick={() => props.onSignOut()}>
          {i18n.t('signOut')}
        </button>
      </header>

      <Show when={!mayAct}>
        <p class="desk__readonly" data-testid="read-only-note" role="note">
          {i18n.t('viewerReadOnly')}
        </p>
      </Show>

      <section class="desk__queue">
        <div class="filters">
          <label>
            <span>{i18n.t('filterWard')}</span>
            <select ref={(n) => (wardFilter = n)} data-testid="filter-ward" value={filters().ward} onChange={(e) => setFilter('ward', e.currentTarget.value)}>
              <option value="">{i18n.t('allWards')}</option>
              <option value="city">{i18n.t('cityLevel')}</option>
              <For each={wardsByName}>{(w) => <option value={w.code}>{i18n.lang === 'vi' ? w.name : w.nameAscii}</option>}</For>
            </select>
          </label>
          <label>
            <span>{i18n.t('filterCategory')}</span>
            <select data-testid="filter-kind" value={filters().kind} onChange={(e) => setFilter('kind', e.currentTarget.value)}>
              <option value="">{i18n.t('allCategories')}</option>
              <optgroup label={i18n.t('categories')}>
                <For each={[...REPORT_CATEGORIES]}>{(c) => <option value={categoryKey(c)}>{i18n.label(REPORT_CATEGORY_LABELS[c])}</option>}</For>
              </optgroup>
              <optgroup label={i18n.t('incidentTypes')}>
                <For each={[...INCIDENT_TYPES]}>{(t) => <option value={incidentKey(t)}>{i18n.label(INCIDENT_TYPE_LABELS[t])}</option>}</For>
              </optgroup>
            </select>
          </label>
          <label>
            <span>{i18n.t('filterState')}</span>
            <select data-testid="filter-state" value={filters().state} onChange={(e) => setFilter('state', e.currentTarget.value as StateFilter)}>
              <option value="active">{i18n.t('stateActive')}</option>
              <option value="open">{i18n.t('stateOpen')}</option>
              <option value="acknowledged">{i18n.t('stateAcknowledged')}</option>
              <option value="resolved">{i18n.t('stateResolved')}</option>
              <option value="all">{i18n.t('stateAll')}</option>
            </select>
          </label>
        </div>
        <h2 class="desk__h2">
          {i18n.t('queue')} <span class="desk__count">{queue().length}</span>
        </h2>
        <Show when={queue().length > 0} fallback={<p class="desk__empty">{i18n.t('noAlertsHere')}</p>}>
          <ol class="queue" data-testid="queue" ref={(n) => (queueList = n)}>
            <For each={queue()}>
              {(a) => {
                const cd = () => countdownOf(a, now());
                return (
                  <li
                    class={`queue__item sev${a.severity}`}
                    classList={{ 'queue__item--selected': selectedId() === a.id, 'queue__item--escalated': a.level > 0 }}
                    data-testid={`queue-item-${a.id}`}
                    data-id={a.id}
                    data-state={a.state}
                    aria-selected={selectedId() === a.id}
                    onClick={() => {
                      setSelectedId(a.id);
                      cancel();
                    }}
                  >
                    <span class="queue__sev" title={i18n.t('severity')}>
                      {a.severity}
                    </span>
                    <div class="queue__main">
                      <div class="queue__title">{i18n.label(a.title)}</div>
                      <div class="queue__meta">
                        {wardName(a.ward, i18n)} · {kindText(a)} · <span class={`state state--${a.state}`}>{stateText(a.state, i18n)}</span>
                      </div>
                    </div>
                    <div class="queue__timer">
                      <Show when={a.level > 0}>
                        <span class="queue__level" data-testid="escalation-level">
                          {i18n.t('level')} {a.level}
                        </span>
                      </Show>
                      <Show when={cd()}>
                        {(c) => (
                          <span class="queue__countdown" classList={{ 'queue__countdown--late': c().msLeft < 0 }} data-testid="countdown">
                            <small>{c().msLeft < 0 ? i18n.t('overdueBy') : c().kind === 'ack' ? i18n.t('ackDueIn') : i18n.t('resolveDueIn')}</small>
                            {formatCountdown(c().msLeft)}
                          </span>
                        )}
                      </Show>
                    </div>
                  </li>
                );
              }}
            </For>
          </ol>
        </Show>
      </section>

      <section class="desk__map">
        <FocusMap collection={wards} focus={() => selected()?.ward ?? null} testId="console-map" />
        <Show when={selected()?.ward}>{(code) => <div class="desk__map-name">{wardName(code(), i18n)}</div>}</Show>
      </section>

      <section class="desk__detail" data-testid="alert-detail">
        <Show when={selected()} fallback={<p class="desk__empty">{i18n.t('selectAlert')}</p>}>
          {(a) => (
            <>
              <div class="detail__head">
                <span class={`detail__sev sev${a().severity}`}>{a().severity}</span>
                <div>
                  <h2 class="detail__title" data-testid="detail-title">
                    {i18n.label(a().title)}
                  </h2>
                  <p class="detail__why">{i18n.label(a().explanation)}</p>
                  <p class="detail__meta">
                    {wardName(a().ward, i18n)} · {sourceText(a())} · {i18n.t('raisedAt')} {formatTime(a().raisedAt, i18n.locale)}
                    <Show when={a().level > 0}> · {i18n.t('escalated', { n: a().level })}</Show>
                  </p>
                  <Show when={a().acknowledged}>
                    {(s) => (
                      <p class="detail__step" data-testid="detail-acknowledged">
                        {i18n.t('acknowledgedBy', { by: s().by, at: formatTime(s().at, i18n.locale) })}
                        <Show when={s().note}> — “{s().note}”</Show>
                      </p>
                    )}
                  </Show>
                  <Show when={a().resolved}>
                    {(s) => (
                      <p class="detail__step">
                        {i18n.t('resolvedBy', { by: s().by, at: formatTime(s().at, i18n.locale) })} — “{s().note}”
                      </p>
                    )}
                  </Show>
                </div>
              </div>

              <div class="actions">
                <Show
                  when={mode()}
                  fallback={
                    <>
                      <button class="btn btn--primary" data-testid="ack-button" disabled={!mayAct || a().state !== 'open'} onClick={() => startAction('ack')}>
                        {i18n.t('acknowledge')} <kbd>a</kbd>
                      </button>
                      <button class="btn" data-testid="resolve-button" disabled={!mayAct || a().state === 'resolved'} onClick={() => startAction('resolve')}>
                        {i18n.t('resolve')} <kbd>r</kbd>
                      </button>
                    </>
                  }
                >
                  {(m) => (
                    <form
                      class="actions__form"
                      onSubmit={(e) => {
                        e.preventDefault();
                        void confirm();
                      }}
                    >
                      <input
                        ref={(n) => (noteInput = n)}
                        class="actions__note"
                        data-testid="action-note"
                        maxlength={2000}
                        placeholder={m() === 'ack' ? i18n.t('notePlaceholderAck') : i18n.t('notePlaceholderResolve')}
                        value={note()}
                        onInput={(e) => setNote(e.currentTarget.value)}
                        disabled={busy()}
                      />
                      <button type="submit" class="btn btn--primary" data-testid="action-confirm" disabled={busy()}>
                        {m() === 'ack' ? i18n.t('acknowledge') : i18n.t('resolve')}
                      </button>
                      <button type="button" class="btn" onClick={cancel}>
                        {i18n.t('cancel')}
                      </button>
                    </form>
                  )}
                </Show>
                <Show when={message()}>
                  {(m) => (
                    <p class="actions__message" classList={{ 'actions__message--error': !m().ok }} data-testid="action-message" role="status">
                      {m().text}
                    </p>
                  )}
                </Show>
              </div>

              <div class="evidence">
                <h3 class="desk__h3">{i18n.t('evidence')}</h3>
                <Show when={a().source === 'hotspot' && a().evidence.observed !== undefined && a().evidence.expected !== undefined}>
                  <div class="evidence__chart">
                    <div class="evidence__caption">
                      {i18n.t('observed')} / {i18n.t('expected')} <Show when={a().evidence.windowHours}>{(h) => i18n.t('inHours', { n: h() })}</Show>
                    </div>
                    <HotspotChart
                      observed={a().evidence.observed ?? 0}
                      expected={a().evidence.expected ?? 0}
                      labels={{ observed: i18n.t('observed'), expected: i18n.t('expected') }}
                    />
                  </div>
                </Show>
                <Switch>
                  <Match when={!mayAct}>
                    <p class="desk__empty">{i18n.t('evidenceForbidden')}</p>
                  </Match>
                  <Match when={evidence.loading}>
                    <p class="desk__empty">{i18n.t('loadingEvidence')}</p>
                  </Match>
                  <Match when={evidence()}>
                    {(ev) => (
                      <Show when={ev().reports.length + ev().incidents.length > 0} fallback={<p class="desk__empty">{i18n.t('noEvidence')}</p>}>
                        <Show when={ev().reports.length > 0}>
                          <h4 class="desk__h4">{i18n.t('reportsBehind')}</h4>
                          <table class="evidence__table" data-testid="evidence-reports">
                            <tbody>
                              <For each={ev().reports}>
                                {(r) => (
                                  <tr>
                                    <td>{formatTime(r.createdAt, i18n.locale)}</td>
                                    <td>{i18n.label(REPORT_CATEGORY_LABELS[r.category])}</td>
                                    <td>{r.title ?? '—'}</td>
                                  </tr>
                                )}
                              </For>
                            </tbody>
                          </table>
                        </Show>
                        <Show when={ev().incidents.length > 0}>
                          <h4 class="desk__h4">{i18n.t('incidentsBehind')}</h4>
                          <table class="evidence__table" data-testid="evidence-incidents">
                            <tbody>
                              <For each={ev().incidents}>
                                {(x) => (
                                  <tr>
                                    <td>{formatTime(x.occurredAt, i18n.locale)}</td>
                                    <td>
                                      {i18n.label(INCIDENT_TYPE_LABELS[x.type])} · {i18n.t('severity')} {x.severity}
                                    </td>
                                    <td>{x.title ?? '—'}</td>
                                  </tr>
                                )}
                              </For>
                            </tbody>
                          </table>
                        </Show>
                      </Show>
                    )}
                  </Match>
                </Switch>
              </div>
            </>
          )}
        </Show>
      </section>

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
    </div>
  );
}


function stateText(state: Alert['state'], i18n: ConsoleI18n): string {
  return i18n.t(state === 'open' ? 'stateOpen' : state === 'acknowledged' ? 'stateAcknowledged' : 'stateResolved');
}
