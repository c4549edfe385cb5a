import { PROVINCE_NAME } from '@shared/province';
import { WARD_CODES } from '@shared/wards';
import type { z } from 'zod';
import type { ItemKind } from '@shared/categories';
import type { ItemError } from '@shared/protocol';
import { itemInputSchemas, type Dossier, type Incident, type InputByKind, type ItemByKind, type Report } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';

/** How far ahead of the server's clock an item's times may be before it is taken for a clock error. */
export const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;
/**
 * The earliest time an item may carry. The wall's history starts long after it; a 1970 or 0001 is a
 * producer's empty date, not a date, and would sit in every window's arithmetic.
 */
export const EARLIEST_ITEM_TIME = '2000-01-01T00:00:00Z';
const EARLIEST_ITEM_MS = Date.parse(EARLIEST_ITEM_TIME);

/**
 * Why a time is out of bounds, or null: before EARLIEST_ITEM_TIME, or (unless it may lie ahead, as a
 * due date does) more than MAX_CLOCK_SKEW_MS ahead of the server's clock. A time in the future is a
 * clock or time-zone error, and one in `updatedAt` would outrank every real update after it: the
 * item would be frozen, each later version "stale".
 */
export function timeOutOfBounds(iso: string, nowMs: number, mayBeAhead = false): { code: 'in_future' | 'too_early'; message: string } | null {
  const ms = Date.parse(iso);
  if (ms < EARLIEST_ITEM_MS) return { code: 'too_early', message: `${iso} is before ${EARLIEST_ITEM_TIME.slice(0, 10)}; check the producer's empty or default dates` };
  if (!mayBeAhead && ms > nowMs + MAX_CLOCK_SKEW_MS) {
    return { code: 'in_future', message: `${iso} is more than an hour ahead of the server's clock; check the producer's clock and time zone` };
  }
  return null;
}

/** Every time an item of this kind carries, by field path, and whether it may lie ahead of now. */
function timesOf(kind: ItemKind, input: InputByKind[ItemKind]): { field: string; iso: string; mayBeAhead: boolean }[] {
  const at = (field: string, iso: string | null | undefined, mayBeAhead = false) => (iso == null ? [] : [{ field, iso, mayBeAhead }]);
  if (kind === 'report') {
    const r = input as InputByKind['report'];
    return [...at('createdAt', r.createdAt), ...at('updatedAt', r.updatedAt), ...at('respondedAt', r.respondedAt)];
  }
  if (kind === 'dossier') {
    const d = input as InputByKind['dossier'];
    return [
      ...at('receivedAt', d.receivedAt),
      // The one time that is meant to lie ahead: when the dossier is due.
      ...at('dueAt', d.dueAt, true),
      ...at('updatedAt', d.updatedAt),
      ...at('resolvedAt', d.resolvedAt),
      // A pause is time already spent waiting for the citizen: both its ends have happened.
      ...(d.pauses ?? []).flatMap((p, i) => [...at(`pauses.${i}.from`, p.from), ...at(`pauses.${i}.to`, p.to)]),
    ];
  }
  const i = input as InputByKind['incident'];
  return [...at('occurredAt', i.occurredAt), ...at('updatedAt', i.updatedAt)];
}

export type Normalized<K extends ItemKind> = { ok: true; item: ItemByKind[K] } | { ok: false; error: Omit<ItemError, 'index'> };

function idOf(raw: unknown): string | undefined {
  if (raw && typeof raw === 'object' && 'id' in raw && typeof (raw as { id: unknown }).id === 'string') return (raw as { id: string }).id;
  return undefined;
}

function fromZod(raw: unknown, error: z.ZodError): Omit<ItemError, 'index'> {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const id = idOf(raw);
  return {
    ...(id !== undefined ? { id } : {}),
    ...(field ? { field } : {}),
    code: 'invalid_field',
    message: field ? `${field}: ${issue.message}` : issue.message,
  };
}

function reject(raw: unknown, field: string, code: string, message: string): { ok: false; error: Omit<ItemError, 'index'> } {
  const id = idOf(raw);
  return { ok: false, error: { ...(id !== undefined ? { id } : {}), field, code, message: `${field}: ${message}` } };
}

/**
 * Turns one producer item into a stored item, or says why not:
 * schema check, coordinates inside Huế (the ward found by point-in-polygon when only they came),
 * `updatedAt` defaulted to the item's first time (it orders updates), and the finish time of an item
 * that arrives finished without one taken from `updatedAt` — deterministic, so a resend is a duplicate.
 */
export function normalizeItem<K extends ItemKind>(kind: K, raw: unknown, boundaries: Boundaries, nowMs: number): Normalized<K> {
  const parsed = itemInputSchemas[kind].safeParse(raw);
  if (!parsed.success) return { ok: false, error: fromZod(raw, parsed.error) };
  const input = parsed.data;

  let ward: string | null | undefined = input.ward;
  if (input.lat !== undefined && input.lng !== undefined) {
    const found = boundaries.wardAt(input.lng, input.lat);
    if (found === null) {
      return reject(raw, 'lat', 'outside_city', `the point (${input.lat}, ${input.lng}) is outside ${PROVINCE_NAME}'s ${WARD_CODES.length} wards and communes`);
    }
    if (ward === undefined) ward = found;
  }

  for (const t of timesOf(kind, input)) {
    const out = timeOutOfBounds(t.iso, nowMs, t.mayBeAhead);
    if (out) return reject(raw, t.field, out.code, out.message);
  }
  const firstTime = kind === 'report' ? (input as { createdAt: string }).createdAt : kind === 'dossier' ? (input as { receivedAt: string }).receivedAt : (input as { occurredAt: string }).occurredAt;
  const firstField = kind === 'report' ? 'createdAt' : kind === 'dossier' ? 'receivedAt' : 'occurredAt';
  const updatedAt = input.updatedAt ?? firstTime;
  if (Date.parse(updatedAt) < Date.parse(firstTime)) {
    return reject(raw, 'updatedAt', 'invalid_field', `must not be before ${firstField}`);
  }

  if (kind === 'report') {
    const r = input as Report;
    const item: Report = { ...r, ward: ward as string, updatedAt };
    if (r.status === 'responded' && !r.respondedAt) item.respondedAt = updatedAt;
    return { ok: true, item: item as ItemByKind[K] };
  }
  if (kind === 'dossier') {
    const d = input as Dossier;
    const item: Dossier = { ...d, ward: ward ?? null, updatedAt };
    if (d.status === 'resolved' && !d.resolvedAt) item.resolvedAt = updatedAt;
    return { ok: true, item: item as ItemByKind[K] };
  }
  const i = input as Incident;
  return { ok: true, item: { ...i, ward: ward as string, updatedAt } as ItemByKind[K] };
}
