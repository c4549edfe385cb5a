import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkingCalendar } from '../domain/calendar';
import { demoFloodEpisode } from './past';
import { HAS_FLOOD_SEASON, isFloodDay } from './rhythm';

const FILE = 'demo-flood-days.json';

/**
 * The demo's flood episode for the window (fromMs, toMs], and the heavy-rain days it adds to the
 * season's model (`extra`). Added days are kept in the data folder: the simulator draws each day's
 * items from (seed, day, its heavy rain), so a rerun must see the same days as heavy-rain days or it
 * would send other items for them. A window with none (a rerun weeks later) gets a new episode.
 * None in a province without the flood season (rhythm.ts, FLOOD_SEASON_PROVINCES).
 */
export function demoFloodEpisodeOf(dataDir: string, fromMs: number, toMs: number, seed: string, calendar: WorkingCalendar): { days: string[]; extra: string[] } {
  // A province without the flood season (the north, the south) has no flood to show.
  if (!HAS_FLOOD_SEASON) return { days: [], extra: [] };
  const file = path.join(dataDir, FILE);
  let kept: string[] = [];
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (Array.isArray(parsed) && parsed.every((d) => typeof d === 'string' && /^\d{4}-\d\d-\d\d$/.test(d))) kept = parsed as string[];
  } catch {
    // None yet (or unreadable: a new episode is chosen and written).
  }
  const extra = new Set(kept);
  const episode = demoFloodEpisode(fromMs, toMs, (t) => isFloodDay(seed, t, extra), (ms) => calendar.localDayStartMs(ms));
  if (episode.added) {
    for (const d of episode.days) extra.add(d);
    writeFileSync(file, `${JSON.stringify([...extra].sort())}\n`);
  }
  return { days: episode.days, extra: [...extra].sort() };
}
