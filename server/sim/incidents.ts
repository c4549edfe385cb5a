import type { IncidentInput } from '@shared/schemas';
import { WARDS, type Ward } from '@shared/wards';
import type { FeedEvent, FeedOptions } from './feed';
import { INCIDENTS_PER_DAY, INCIDENT_DAY_SHAPE, INCIDENT_SEVERITY_MIX, INCIDENT_TYPE_MIX, POPULATION_SCALE } from './profile';
import type { Rng } from './random';
import { FLOOD_INCIDENTS_PER_DAY, LOW_LYING_WARDS, isFloodDay } from './rhythm';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayKey, localIso, logNormalMs, pointIn } from './time-and-place';
import { cityTruth } from './truth';

/**
 * The incidents of the local day starting at `dayStartMs`, each open → responding → contained →
 * closed within hours: wards weighted by residents × their true incident factor, a negative
 * binomial count, and flood incidents in low-lying units on heavy-rain days.
 */
export function incidentsOfDay(opts: FeedOptions, dayStartMs: number, rng: Rng, out: FeedEvent[]): void {
  const truth = opts.truth ?? cityTruth();
  // The province's size scales the day's incidents as it scales the reports (exactly 1 for Huế).
  const speed = (opts.speed ?? 1) * POPULATION_SCALE;
  const weights: readonly (readonly [Ward, number])[] = WARDS.map((w) => [w, w.population * truth.get(w.code)!.incidentFactor]);
  const compact = dayKey(dayStartMs).replaceAll('-', '');
  const ordinary = rng.negativeBinomial(INCIDENTS_PER_DAY * speed, INCIDENT_DAY_SHAPE);
  const flood = isFloodDay(opts.seed, dayStartMs, opts.extraFloodDays) ? rng.poisson(FLOOD_INCIDENTS_PER_DAY * speed) : 0;
  const lowLying = weights.filter(([w]) => LOW_LYING_WARDS.has(w.code));
  for (let n = 1; n <= ordinary + flood; n++) {
    const isFlood = n > ordinary;
    const ward = rng.pick(isFlood ? lowLying : weights);
    const occurredMs = dayStartMs + rng.next() * DAY_MS;
    const type = isFlood ? 'flood' : rng.pick(INCIDENT_TYPE_MIX);
    const base: IncidentInput = {
      id: `sim-i-${compact}-${n.toString().padStart(3, '0')}`,
      type,
      severity: rng.pick(INCIDENT_SEVERITY_MIX),
      status: 'open',
      occurredAt: localIso(occurredMs),
      title: `Vụ việc ${n}`,
      ward: ward.code,
      ...pointIn(ward, rng, opts.boundaries),
    };
    out.push({ kind: 'incident', atMs: occurredMs, item: base });
    let t = occurredMs;
    for (const [status, medianMs] of [
      ['responding', 15 * MINUTE_MS],
      ['contained', 2 * HOUR_MS],
      ['closed', 5 * HOUR_MS],
    ] as const) {
      t += logNormalMs(rng, medianMs, 0.6);
      out.push({ kind: 'incident', atMs: t, item: { ...base, status, updatedAt: localIso(t) } });
    }
  }
}
