import type { DossierInput } from '@shared/schemas';
import { WARDS, type Ward } from '@shared/wards';
import type { FeedEvent, FeedOptions } from './feed';
import { CITY_LEVEL_DOSSIER_SHARE, DOSSIERS_PER_WORKING_DAY, DOSSIER_DAY_SHAPE, POPULATION_SCALE, PROCEDURES } from './profile';
import type { Rng } from './random';
import { dossierDayFactor } from './rhythm';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayKey, localIso, logNormalMs, toOfficeHours } from './time-and-place';
import { cityMean, cityTruth } from './truth';

const populationWeights: readonly (readonly [Ward, number])[] = WARDS.map((w) => [w, w.population]);

/**
 * The dossiers received on the local day starting at `dayStartMs` (none on a day off), each with
 * its life to resolution or return: volume by weekday and around Tết, on-time and online shares
 * from the ward's truth.
 */
export function dossiersOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const factor = dossierDayFactor(opts.calendar, dayStartMs);
  if (factor === 0) return;
  const truth = opts.truth ?? cityTruth();
  const count = rng.negativeBinomial(DOSSIERS_PER_WORKING_DAY * POPULATION_SCALE * (opts.speed ?? 1) * factor, DOSSIER_DAY_SHAPE);
  const compact = dayKey(dayStartMs).replaceAll('-', '');
  const cityOnTime = cityMean(truth, 'dossierOnTime');
  const cityOnline = cityMean(truth, 'online');
  for (let n = 1; n <= count; n++) {
    const [procedure, field, days, hasFee] = PROCEDURES[rng.int(0, PROCEDURES.length - 1)]!;
    const cityLevel = rng.chance(CITY_LEVEL_DOSSIER_SHARE);
    const ward = cityLevel ? null : rng.pick(populationWeights).code;
    const t = ward === null ? null : truth.get(ward)!;
    // The ward's true online share; the rest mostly at the counter, a few by post.
    const channel = rng.chance(t?.online ?? cityOnline) ? 'online' : rng.chance(25 / 28) ? 'in_person' : 'post';
    // Office hours 07:30–17:00 local; online submissions spread a little wider.
    const startMin = channel === 'online' ? 6 * 60 : 7 * 60 + 30;
    const endMin = channel === 'online' ? 21 * 60 : 17 * 60;
    const receivedMs = dayStartMs + (startMin + rng.next() * (endMin - startMin)) * MINUTE_MS;
    const dueMs = opts.calendar.reportDeadlineMs(receivedMs, days) - 7 * HOUR_MS; // due 17:00 on the last day
    const paidOnline = hasFee ? (channel === 'online' ? rng.chance(0.78) : rng.chance(0.1)) : null;
    const base: DossierInput = {
      id: `sim-d-${compact}-${n.toString().padStart(4, '0')}`,
      ward,
      channel,
      status: 'received',
      receivedAt: localIso(receivedMs),
      dueAt: localIso(dueMs),
      procedure,
      field,
      ...(paidOnline === null ? {} : { paidOnline }),
      digitised: rng.chance(channel === 'online' ? 0.9 : 0.55),
    };
    out.push({ kind: 'dossier', atMs: receivedMs, item: base });
    const processingMs = toOfficeHours(receivedMs + logNormalMs(rng, 2 * HOUR_MS, 0.8), opts.calendar, rng);
    out.push({ kind: 'dossier', atMs: processingMs, item: { ...base, status: 'processing', updatedAt: localIso(processingMs) } });
    const pauses: { from: string; to: string }[] = [];
    let pausedMs = 0;
    if (rng.chance(0.12)) {
      const from = processingMs + logNormalMs(rng, 20 * HOUR_MS, 0.5);
      const length = logNormalMs(rng, 2 * DAY_MS, 0.6);
      pauses.push({ from: localIso(from), to: localIso(from + length) });
      pausedMs = length;
      out.push({ kind: 'dossier', atMs: from, item: { ...base, status: 'supplement', updatedAt: localIso(from), pauses: [{ from: localIso(from) }] } });
      out.push({ kind: 'dossier', atMs: from + length, item: { ...base, status: 'processing', updatedAt: localIso(from + length), pauses } });
    }
    if (rng.chance(0.02)) {
      const returnedMs = toOfficeHours(processingMs + logNormalMs(rng, 2 * DAY_MS, 0.5) + pausedMs, opts.calendar, rng);
      out.push({ kind: 'dossier', atMs: returnedMs, item: { ...base, status: 'returned', updatedAt: localIso(returnedMs), ...(pauses.length ? { pauses } : {}) } });
      continue;
    }
    // The ward's true on-time share finishes inside its time (early enough that moving into office
    // hours keeps it there); the rest run late by a long-tailed margin.
    const allowedMs = dueMs - receivedMs;
    const late = !rng.chance(t?.dossierOnTime ?? cityOnTime);
    const share = late ? 1.02 + Math.abs(rng.normal()) * 0.35 : 0.2 + rng.next() * 0.6;
    const resolvedMs = toOfficeHours(receivedMs + allowedMs * share + pausedMs, opts.calendar, rng);
    out.push({
      kind: 'dossier',
      atMs: resolvedMs,
      item: {
        ...base,
        status: 'resolved',
        updatedAt: localIso(resolvedMs),
        resolvedAt: localIso(resolvedMs),
        ...(pauses.length ? { pauses } : {}),
        eResult: rng.chance(channel === 'online' ? 0.8 : 0.3),
      },
    });
  }
}
