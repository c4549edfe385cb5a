import { createEffect, createMemo, createResource, createSignal } from 'solid-js';
import type { Accessor, Resource } from 'solid-js';
import type { Alert, AlertAction, AlertEvidence } from '@shared/alerts';
import { authHeaders, canAct } from '../auth/session';
import type { SessionInfo } from '../auth/session';
import { createNow } from '../stores/clock';
import { actionOutcome } from './actions';
import type { ConsoleLive } from './console-store';
import type { ConsoleI18n } from './i18n';
import { buildQueue, DEFAULT_FILTERS, moveSelection } from './queue';
import type { QueueFilters } from './queue';

/** How often the countdowns move on. */
export const DESK_TICK_MS = 1000;

/** GET /api/v1/alerts/:id: the alert and the reports and incidents behind it. */
export type Evidence = AlertEvidence;

/** What the desk tells the officer after an action. */
export interface DeskMessage {
  ok: boolean;
  text: string;
}

export interface DeskStateOptions {
  session: SessionInfo;
  i18n: ConsoleI18n;
  live: ConsoleLive;
  /** Fetches an alert's evidence. @default GET /api/v1/alerts/:id with the session's credentials */
  loadEvidence?: (id: string) => Promise<Evidence | null>;
  /** The clock the countdowns read. @default the time, ticking every DESK_TICK_MS */
  now?: Accessor<number>;
}

export interface DeskState {
  readonly session: SessionInfo;
  readonly i18n: ConsoleI18n;
  readonly live: ConsoleLive;
  /** Whether this session may acknowledge and resolve (viewers may not). */
  readonly mayAct: boolean;
  /** True while the desk replays a past moment: nothing can be acted on then. */
  replaying: Accessor<boolean>;
  /** The clock the countdowns read, moved on every DESK_TICK_MS. */
  now: Accessor<number>;
  filters: Accessor<QueueFilters>;
  setFilter: <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => void;
  /** The alerts as the officer works them: filtered, gravest and oldest first. */
  queue: Accessor<Alert[]>;
  selectedId: Accessor<string | null>;
  /** The selected alert; the head of the queue unless the officer chose another. */
  selected: Accessor<Alert | null>;
  /** Selects an alert, dropping a half-written note. */
  select: (id: string) => void;
  /** Moves the selection `step` places, clamped to the queue; returns the alert now selected. */
  move: (step: number) => Alert | null;
  /** The action whose note is being written, if any. */
  mode: Accessor<AlertAction | null>;
  note: Accessor<string>;
  setNote: (note: string) => void;
  /** True while the server has an action to answer. */
  busy: Accessor<boolean>;
  message: Accessor<DeskMessage | null>;
  /** The selected alert's evidence (never fetched for viewers, whom the server refuses). */
  evidence: Resource<Evidence | null>;
  /** Opens the note for an action on the selected alert, or says why it cannot be done. */
  startAction: (action: AlertAction) => void;
  cancel: () => void;
  /** Sends the action with its note and says how it went. */
  confirm: () => Promise<void>;
  /**
   * The elements the desk reaches for (the note to focus when an action starts, the ward filter
   * and the queue for the keyboard), set by the components that draw them.
   */
  readonly refs: { note?: HTMLInputElement; wardFilter?: HTMLSelectElement; queue?: HTMLOListElement };
}

async function fetchEvidence(id: string, session: SessionInfo): Promise<Evidence | null> {
  const res = await fetch(`/api/v1/alerts/${encodeURIComponent(id)}`, { headers: authHeaders(session) });
  if (!res.ok) return null;
  return (await res.json()) as Evidence;
}

/** The duty desk's state for one session: the queue, the selection, the action being written, the evidence. */
export function createDeskState(options: DeskStateOptions): DeskState {
  const { session, i18n, live } = options;
  const loadEvidence = options.loadEvidence ?? ((id: string) => fetchEvidence(id, session));
  const mayAct = canAct(session.role);
  const refs: DeskState['refs'] = {};

  const tick = options.now ?? createNow(DESK_TICK_MS);
  const replaying = () => live.replay.status() !== null;
  // Replaying, the countdowns are those of the moment shown.
  const now = () => (replaying() ? (tick(), live.shownNow()) : tick());
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

  const [mode, setMode] = createSignal<AlertAction | null>(null);
  const [note, setNote] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [message, setMessage] = createSignal<DeskMessage | null>(null);

  const [evidence] = createResource(() => (mayAct ? selectedId() : null), loadEvidence);

  const cancel = () => {
    setMode(null);
    setNote('');
  };

  const select = (id: string) => {
    setSelectedId(id);
    cancel();
  };

  const move = (step: number) => {
    const next = queue()[moveSelection(selectedIndex(), step, queue().length)];
    if (!next) return null;
    select(next.id);
    return next;
  };

  const startAction = (action: AlertAction) => {
    const a = selected();
    if (!mayAct || !a || a.state === 'resolved') return;
    if (replaying()) {
      setMessage({ ok: false, text: i18n.t('noActionsInReplay') });
      return;
    }
    if (action === 'ack' && a.state !== 'open') {
      setMessage({ ok: false, text: i18n.t('alreadyAcknowledged', { by: a.acknowledged?.by ?? '?' }) });
      return;
    }
    setMode(action);
    setNote('');
    setMessage(null);
    queueMicrotask(() => refs.note?.focus());
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

  const setFilter = <K extends keyof QueueFilters>(key: K, value: QueueFilters[K]) => setFilters({ ...filters(), [key]: value });

  return {
    session,
    i18n,
    live,
    mayAct,
    replaying,
    now,
    filters,
    setFilter,
    queue,
    selectedId,
    selected,
    select,
    move,
    mode,
    note,
    setNote,
    busy,
    message,
    evidence,
    startAction,
    cancel,
    confirm,
    refs,
  };
}
