import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { toWard, type Ward } from '@shared/wards';

/** In an IOC_REGISTRY_DIR: the units' facts (the format of shared/data/hue-wards-facts.json, plus `province`). */
export const REGISTRY_FACTS_FILE = 'wards.json';
/** In an IOC_REGISTRY_DIR: their boundaries, a GeoJSON FeatureCollection with `properties.code`. */
export const REGISTRY_BOUNDARIES_FILE = 'boundaries.geojson';

export class RegistryError extends Error {
  override name = 'RegistryError';
}

const code = z.string().regex(/^\d{5}$/, 'must be a 5-digit official code');
const factSchema = z.object({
  code,
  name: z.string().min(1),
  name_full: z.string().min(1),
  type: z.enum(['phuong', 'xa', 'dac_khu']),
  area_km2: z.number().positive(),
  population: z.number().int().nonnegative(),
  admin_center: z.string(),
  center: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]),
  neighbors: z.array(code),
  province: z.string().regex(/^\d{2}$/, 'must be a 2-digit province code').optional(),
});
const factsSchema = z.array(z.unknown()).min(1, 'the registry holds no units');

/**
 * Validates a registry's facts: each unit by the schema, codes unique, every neighbour a unit of the
 * registry. Throws RegistryError naming the unit and the field, so a bad file stops the start-up with
 * a message a person can act on.
 */
export function parseRegistry(raw: unknown, source: string): Ward[] {
  const list = factsSchema.safeParse(raw);
  if (!list.success) throw new RegistryError(`${source}: ${list.error.issues[0]?.message ?? 'not a JSON array of units'}`);
  const wards = list.data.map((entry, i) => {
    const parsed = factSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const which = typeof (entry as { code?: unknown })?.code === 'string' ? ` (${(entry as { code: string }).code})` : '';
      throw new RegistryError(`${source}: unit ${i}${which}: ${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`);
    }
    return toWard(parsed.data);
  });
  const codes = new Set<string>();
  for (const w of wards) {
    if (codes.has(w.code)) throw new RegistryError(`${source}: code ${w.code} appears twice`);
    codes.add(w.code);
  }
  for (const w of wards) {
    const stray = w.neighbors.find((n) => !codes.has(n) || n === w.code);
    if (stray !== undefined) throw new RegistryError(`${source}: unit ${w.code} names neighbour ${stray}, which is ${stray === w.code ? 'itself' : 'not in the registry'}`);
  }
  return wards;
}

/** Reads and validates `<dir>/wards.json`; the boundaries beside it are checked by loadBoundaries. */
export function loadRegistry(dir: string): { wards: Ward[]; boundariesPath: string } {
  const file = path.join(dir, REGISTRY_FACTS_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RegistryError(`cannot read the ward registry from ${file}: ${(err as Error).message}`);
  }
  return { wards: parseRegistry(raw, file), boundariesPath: path.join(dir, REGISTRY_BOUNDARIES_FILE) };
}

/** Several registries' units together (IOC_PROVINCE=all: the 34 provinces'), each code once across them. */
export function loadRegistries(dirs: readonly string[]): Ward[] {
  const seen = new Map<string, string>();
  return dirs.flatMap((dir) => {
    const { wards } = loadRegistry(dir);
    for (const w of wards) {
      const other = seen.get(w.code);
      if (other !== undefined) throw new RegistryError(`unit ${w.code} is in two registries: ${other} and ${dir}`);
      seen.set(w.code, dir);
    }
    return wards;
  });
}
