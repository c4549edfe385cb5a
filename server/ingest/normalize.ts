import type { z } from 'zod';
import type { ItemKind } from '@shared/categories';
import type { ItemError } from '@shared/protocol';
import { itemInputSchemas, type Dossier, type Incident, type ItemByKind, type Report } from '@shared/schemas';
import type { Boundaries } from '../geo/boundaries';

/** How far ahead of the server's clock an item's times may be before it is taken for a clock error. */
export const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;

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
      return reject(raw, 'lat', 'outside_city', `the point (${input.lat}, ${input.lng}) is outside Huế's 40 wards and communes`);
    }
    if (ward === undefined) ward = found;
  }

  const firstTime = kind === 'report' ? (input as { createdAt: string }).createdAt : kind === 'dossier' ? (input as { receivedAt: string }).receivedAt : (input as { occurredAt: string }).occurredAt;
  const firstField = kind === 'report' ? 'createdAt' : kind === 'dossier' ? 'receivedAt' : 'occurredAt';
  if (Date.parse(firstTime) > nowMs + MAX_CLOCK_SKEW_MS) {
    return reject(raw, firstField, 'in_future', `${firstTime} is more than an hour ahead of the server's clock; check the producer's clock and time zone`);
  }
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
