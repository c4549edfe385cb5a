import type { IngestResult } from '@shared/protocol';
import { MAX_WARNING_MESSAGES, type Incident } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';
import type { ItemStore, LogEntry } from '../store/store';
import { capMessageKey, capToIncident, idFor, legacyIdFor, referencesOf, type CapReference } from './cap';
import type { CapAlert, CapResult } from './cap-parse';
import { CapReader } from './cap-reader';
import type { IngestService } from './ingest-service';
import { timeOutOfBounds } from './normalize';

/** What one CAP alert did: the ingest answer plus the incidents it touched, why it was ignored, or a note. */
export type CapAlertOutcome =
  | { status: 202; body: IngestResult & { incidents?: string[]; ignored?: string; note?: string } }
  | { status: 400 | 403 | 409 | 413; body: { error: { code: string; message: string; details?: unknown } } };

/** The answer to a pushed document (the HTTP status and body). */
export interface CapDocumentOutcome {
  status: number;
  body: unknown;
  /** Headers the answer carries (Retry-After on a 503). */
  headers?: Record<string, string>;
}

/** One alert's line in the answer to an `<alerts>` wrapper. */
export interface CapAlertLine {
  index: number;
  identifier?: string;
  sender?: string;
  status: number;
  result: CapAlertOutcome['body'];
}

const NOTHING: IngestResult = { accepted: 0, duplicate: 0, stale: 0, rejected: 0, errors: [] };

export interface CapIngestDeps {
  ingest: IngestService;
  store: ItemStore;
  boundaries: Boundaries;
  now: () => number;
  /** IOC_CAP_SENDERS: a sender listed here is accepted only from the producers it names. */
  senders?: ReadonlyMap<string, ReadonlySet<string>>;
  log?: { warn(obj: object, msg: string): void };
  /** Reads documents off the main thread; one of its own unless given. */
  reader?: CapReader;
}

/**
 * The one way a CAP message reaches the store, for the push endpoint and the feed follower alike,
 * so their rules cannot drift: parse, locate in Huế, resolve what an Update or Cancel refers to, and
 * hand the incident to IngestService (validation, ownership, idempotency, durability).
 *
 * A message is (producer, sender, identifier): an Update or Cancel applies only to messages the same
 * producer sent, so no ingest key and no followed feed can close or pre-empt another's warning by
 * naming its sender (issue 19). A sender bound in IOC_CAP_SENDERS is refused from anyone else.
 */
export class CapIngest {
  private readonly index: CapMessageIndex;
  /** Where CAP XML is read (a worker thread): the push endpoint's documents here, the follower's too. */
  readonly reader: CapReader;

  constructor(private readonly deps: CapIngestDeps) {
    this.index = new CapMessageIndex(deps.store);
    this.reader = deps.reader ?? new CapReader();
  }

  /** Stops following the store's log and stops the reader's worker. */
  async dispose(): Promise<void> {
    this.index.dispose();
    await this.reader.close();
  }

  /** A pushed body: one `<alert>`, or an `<alerts>` wrapper whose alerts are handled in turn. */
  async ingestDocument(body: Buffer, producer: string): Promise<CapDocumentOutcome> {
    if (body.length === 0) return refused(400, 'empty_body', 'send one CAP 1.2 <alert> document (or an <alerts> wrapper of several) as XML');
    const doc = await this.reader.readDocument(body);
    if (!doc.ok) return refused(doc.status, doc.code, doc.message, undefined, doc.status === 503 ? { 'Retry-After': '5' } : undefined);
    if (!doc.value.wrapped) {
      const alert = doc.value.alert;
      if (!alert.ok) return refused(400, alert.code, alert.message);
      return this.ingestAlert(alert.value, producer);
    }
    const lines: CapAlertLine[] = [];
    // In turn: an Update later in the wrapper finds the Alert before it.
    for (const [index, alert] of doc.value.alerts.entries()) lines.push(await this.line(index, alert, producer));
    const through = lines.filter((l) => l.status === 202);
    if (through.length === 0) {
      // One status for the document: 403 when every alert was refused for its sender, else 400.
      const status = lines.every((l) => l.status === 403) ? 403 : 400;
      return refused(status, 'all_alerts_refused', `all ${lines.length} alerts of the <alerts> wrapper were refused; the first: ${describe(lines[0]!)}`, lines);
    }
    const sum = (k: 'accepted' | 'duplicate' | 'stale') => through.reduce((n, l) => n + ((l.result as IngestResult)[k] ?? 0), 0);
    return { status: 202, body: { accepted: sum('accepted'), duplicate: sum('duplicate'), stale: sum('stale'), rejected: lines.length - through.length, alerts: lines } };
  }

  private async line(index: number, alert: CapResult<CapAlert>, producer: string): Promise<CapAlertLine> {
    if (!alert.ok) return { index, status: 400, result: { error: { code: alert.code, message: alert.message } } };
    const out = await this.ingestAlert(alert.value, producer);
    return { index, identifier: alert.value.identifier, sender: alert.value.sender, status: out.status, result: out.body };
  }

  /** One parsed CAP alert, for `producer` (the ingest key's source, or the followed feed's `feed:<name>`). */
  async ingestAlert(alert: CapAlert, producer: string): Promise<CapAlertOutcome> {
    const bound = this.deps.senders?.get(alert.sender);
    if (bound && !bound.has(producer)) {
      this.deps.log?.warn({ producer, sender: alert.sender, identifier: alert.identifier.slice(0, 200) }, 'a CAP message naming a bound sender came from another producer: refused');
      return refused(403, 'sender_not_allowed', `CAP sender ${alert.sender}: this sender is bound to other producers (IOC_CAP_SENDERS); ${producer} may not send in its name`) as CapAlertOutcome;
    }
    const meaning = capToIncident(alert, this.deps.boundaries, producer);
    if (!meaning.ok) return refused(400, meaning.code, meaning.message) as CapAlertOutcome;
    const m = meaning.value;
    if (m.kind === 'ignored') return { status: 202, body: { ...NOTHING, ignored: m.reason } };
    // `sent` becomes the incident's version (updatedAt): held to the same bounds, but named as the sender wrote it.
    const sentOut = timeOutOfBounds(alert.sent, this.deps.now());
    if (sentOut) return refused(400, sentOut.code, `CAP sent: ${sentOut.message}`, [{ field: 'sent', code: sentOut.code, message: sentOut.message }]) as CapAlertOutcome;
    const key = capMessageKey(alert);
    const held = unique(m.references.map((r) => this.heldFor(r, producer)).filter((i) => i !== undefined));
    if (m.kind === 'cancel') {
      // A sender retries a refused Cancel for ever; one of a message never seen here is noted, not refused.
      if (held.length === 0) return { status: 202, body: { ...NOTHING, note: `the Cancel references no alert of this producer held here (${refList(m.references)}): noted, nothing to close` } };
      const closed = held.map((i) => ({ ...i, status: 'closed' as const, updatedAt: alert.sent, ...(i.warning ? { warning: { ...i.warning, messages: withKey(i.warning.messages, key) } } : {}) }));
      return this.store(closed, producer, held.map((i) => i.id));
    }
    const { incident } = m;
    let note: string | undefined;
    if (alert.msgType === 'Update') {
      if (held[0]) incident.id = held[0].id;
      else note = `the Update references no alert of this producer held here (${refList(m.references) || 'no references'}): taken as a new alert`;
    }
    const before = held[0] ?? this.deps.store.get('incident', incident.id);
    if (before?.warning) incident.warning.messages = withKey(before.warning.messages, key);
    const out = await this.store(incident, producer, [incident.id]);
    return note && out.status === 202 ? { status: 202, body: { ...out.body, note } } : out;
  }

  /** True when `producer` applied this message already (an incident holds its key): a follower skips it, also after a restart. */
  isKnown(alert: CapAlert, producer: string): boolean {
    const key = capMessageKey(alert);
    const candidates = [this.heldFor({ sender: alert.sender, identifier: alert.identifier }, producer), ...referencesOf(alert.references).map((r) => this.heldFor(r, producer))];
    return candidates.some((i) => i?.warning?.messages.includes(key) === true);
  }

  /**
   * The incident of `producer` a reference names: the one with the referenced message's id, or the one
   * an earlier Update of it was applied to (an Update of an Update names a message that has no
   * incident of its own) — looked up in an index, never by scanning the incidents.
   */
  private heldFor(ref: CapReference, producer: string): Incident | undefined {
    const direct = this.deps.store.get('incident', idFor(producer, ref.sender, ref.identifier));
    if (direct) return direct;
    const indexed = this.index.incidentOf(producer, ref);
    if (indexed !== undefined) {
      const i = this.deps.store.get('incident', indexed);
      if (i?.producer === producer) return i;
    }
    // Stored before ids named the producer: still the same producer's only.
    const legacy = this.deps.store.get('incident', legacyIdFor(ref.sender, ref.identifier));
    return legacy?.producer === producer ? legacy : undefined;
  }

  private async store(body: unknown, producer: string, ids: string[]): Promise<CapAlertOutcome> {
    const out = await this.deps.ingest.ingest('incident', body, producer);
    return out.status === 202 ? { status: 202, body: { ...out.body, incidents: ids } } : out;
  }
}

function refused(status: number, code: string, message: string, details?: unknown, headers?: Record<string, string>): CapDocumentOutcome & { status: 400 | 403 | 409 | 413 } {
  return { status: status as 400, body: { error: details === undefined ? { code, message } : { code, message, details } }, ...(headers ? { headers } : {}) };
}

function describe(l: CapAlertLine): string {
  const e = (l.result as { error?: { message: string } }).error;
  return `alert ${l.index}${l.identifier ? ` (${l.identifier})` : ''}: ${e?.message ?? `status ${l.status}`}`;
}

const refList = (refs: CapReference[]) => refs.map((r) => `${r.sender},${r.identifier}`).join(' ');

function unique(incidents: Incident[]): Incident[] {
  return [...new Map(incidents.map((i) => [i.id, i])).values()];
}

/** The message keys with `key` added, the oldest dropped past the bound. */
function withKey(keys: readonly string[], key: string): string[] {
  return [...keys.filter((k) => k !== key), key].slice(-MAX_WARNING_MESSAGES);
}

/**
 * (producer, sender, identifier) of every message an incident's warning lists → that incident's id,
 * kept from the store's log as incidents change (on any node). A Cancel naming thousands of unknown
 * messages then costs thousands of map lookups, not thousands of scans of every incident (issue 19:
 * 200,000 references held the loop 15.7 s with ~3,000 incidents).
 */
class CapMessageIndex {
  private byMessage: Map<string, string> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly store: ItemStore) {
    this.unsubscribe = store.onEntry((e) => this.follow(e));
  }

  incidentOf(producer: string, ref: CapReference): string | undefined {
    return this.built().get(indexKey(producer, ref.sender, ref.identifier));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** Built on first use from the store's current incidents (opened by then), then kept by the log. */
  private built(): Map<string, string> {
    if (this.byMessage === null) {
      this.byMessage = new Map();
      for (const i of this.store.items('incident')) this.add(i);
    }
    return this.byMessage;
  }

  private follow(e: LogEntry): void {
    if (this.byMessage === null) return;
    if (e.type === 'items' && e.kind === 'incident') for (const c of e.changes) this.add(c.item as Incident);
    else if (e.type === 'resync') for (const a of e.changes) if (a.kind === 'incident') for (const c of a.changes) this.add(c.item as Incident);
  }

  private add(i: Incident): void {
    if (!i.warning) return;
    for (const k of i.warning.messages) {
      const [sender, identifier] = k.split(',');
      if (sender && identifier) this.byMessage!.set(indexKey(i.producer ?? '', sender, identifier), i.id);
    }
  }
}

const indexKey = (producer: string, sender: string, identifier: string) => `${producer}\n${sender},${identifier}`;
