import { REPORT_CATEGORIES, REPORT_CATEGORY_LABELS, type ReportCategory } from '@shared/categories';
import type { HotspotState, HotspotView } from '@shared/alerts';
import type { Label } from '@shared/labels';
import { WARDS, type Ward } from '@shared/wards';
import { HOUR_MS, WEEK_HOURS, hourIndexOf, hourOfWeekOfHour, learnBaseline, makeHourlyCounts, type Baseline, type PairLayout } from './baseline';
import type { HotspotConfig } from './hotspot-config';
import { learnDispersion } from './dispersion';
import { ewma, negativeBinomialUpperTail, poissonCusum } from './stats';

const MINUTE_MS = 60_000;

/** A new report as the detector needs it. */
export interface HotspotReport {
  ward: string;
  category: ReportCategory;
  createdAtMs: number;
}

/** The detector's hotspot is the one the wall shows: one definition, in the shared contract. */
export type Hotspot = HotspotView;
export type { HotspotState };

export interface HotspotEvaluation {
  /** Not enough history for a baseline yet: nothing is tested. */
  learning: boolean;
  /** Every open hotspot after this evaluation. */
  active: Hotspot[];
  /** Raised in this evaluation (also in `active`). */
  raised: Hotspot[];
  /** Closed in this evaluation (no longer in `active`). */
  closed: Hotspot[];
}

export interface HotspotDetector {
  /** Counts one new report (an update of a known report must not be observed again). */
  observe(report: HotspotReport): void;
  /** Tests every ward × category × window at `nowMs` and moves each hotspot along its life. */
  evaluate(nowMs: number): HotspotEvaluation;
}

export interface HotspotDetectorOptions {
  /** The wards (default: Huế's 40 from the registry); neighbours are taken from them. */
  wards?: readonly Ward[];
}

interface Track {
  hotspot: Hotspot;
  quiet: number;
  raisedRatio: number;
  ratioEwma: number;
}

interface Test {
  observed: number;
  expected: number;
  p: number;
  q: number;
}

const fmtNumber = (x: number, locale: 'vi' | 'en') => {
  const rounded = x >= 10 ? x.toFixed(0) : x.toFixed(1);
  return locale === 'vi' ? rounded.replace('.', ',') : rounded;
};

/** "12 noise reports in 3 h, 2.1 expected; 2 neighbouring wards also elevated", in both languages. */
export function explainHotspot(h: Pick<Hotspot, 'category' | 'observed' | 'expected' | 'windowHours' | 'neighboursElevated' | 'trigger'>): Label {
  const label = REPORT_CATEGORY_LABELS[h.category];
  const n = h.neighboursElevated.length;
  const hours = Number.isInteger(h.windowHours) ? String(h.windowHours) : fmtNumber(h.windowHours, 'en');
  let vi = `${h.observed} phản ánh ${label.vi.toLocaleLowerCase('vi')} trong ${hours.replace('.', ',')} giờ, kỳ vọng ${fmtNumber(h.expected, 'vi')}`;
  let en = `${h.observed} ${label.en.toLocaleLowerCase('en')} report${h.observed === 1 ? '' : 's'} in ${hours} h, ${fmtNumber(h.expected, 'en')} expected`;
  if (h.trigger === 'cusum') {
    vi += '; tăng dần qua nhiều giờ';
    en += '; a steady rise over several hours';
  }
  if (n > 0) {
    vi += `; ${n} phường/xã lân cận cũng tăng`;
    en += `; ${n} neighbouring ward${n === 1 ? '' : 's'} also elevated`;
  }
  return { vi, en };
}

/**
 * Hotspot detection per ward × report category (docs/figures.md, "Alerts, hotspots and who may do what"). Reports are counted per hour (for the
 * baseline, kept for `baseline.maxWeeks`) and by time (for the windows, kept for the longest
 * window), so the state is bounded whatever the run length. The baseline is relearned at the first
 * evaluation of each local day from the whole weeks before that day.
 *
 * At each evaluation, for each category and window, the 40 wards' p-values are adjusted together
 * (Benjamini–Hochberg). A p-value is the negative binomial tail at the pair's expected count and its
 * own dispersion, learnt with the baseline (config `dispersion`; the Poisson tail when disabled):
 * real counts vary more from day to day than a Poisson's, and a Poisson tail then calls a busy
 * pair's ordinary busy day a hotspot. A ward × category is raised when some window has q < alphaRaise
 * and at least minCount reports, or when its CUSUM of hourly counts passes the threshold with at
 * least minCount reports in the longest window. It stays open while a window has q ≤ alphaClear
 * (with minCount reports) or its CUSUM is still above the threshold; otherwise it fades, and closes
 * after clearAfterEvaluations quiet evaluations once minLifetimeMinutes have passed.
 */
export function makeHotspotDetector(config: HotspotConfig, options: HotspotDetectorOptions = {}): HotspotDetector {
  const wards = options.wards ?? WARDS;
  const categories = REPORT_CATEGORIES;
  const C = categories.length;
  const W = wards.length;
  const pairs = W * C;
  const wardIndex = new Map(wards.map((w, i) => [w.code, i]));
  const categoryIndex = new Map(categories.map((c, i) => [c, i]));
  const population = wards.reduce((s, w) => s + w.population, 0);
  const layout: PairLayout = { wards: W, categories: C, populationShares: wards.map((w) => (population > 0 ? w.population / population : 1 / W)) };
  const neighbours = wards.map((w) => w.neighbors.map((code) => wardIndex.get(code)).filter((i): i is number => i !== undefined));
  const windowsMs = [...config.windowsHours].sort((a, b) => a - b).map((h) => h * HOUR_MS);
  const longestMs = windowsMs[windowsMs.length - 1]!;
  const nWindows = windowsMs.length;
  const observedAt = new Float64Array(nWindows * pairs);
  const expectedAt = new Float64Array(nWindows * pairs);
  const pAt = new Float64Array(nWindows * pairs);
  const qAt = new Float64Array(nWindows * pairs);
  const order = new Int32Array(W);

  /**
   * Benjamini–Hochberg q-values (as benjaminiHochbergAdjust) of the W p-values at
   * pAt[start + w·stride], written to qAt at the same places: one family per category and window.
   */
  const bhAdjustInPlace = (start: number, stride: number) => {
    let any = false;
    for (let w = 0; w < W; w++) {
      if (pAt[start + w * stride]! < 1) any = true;
      qAt[start + w * stride] = 1;
    }
    if (!any) return;
    // Insertion sort of the indices by p (40 of them: cheaper than a general sort with a closure).
    for (let w = 0; w < W; w++) {
      const pw = pAt[start + w * stride]!;
      let j = w - 1;
      while (j >= 0 && pAt[start + order[j]! * stride]! > pw) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = w;
    }
    let running = 1;
    for (let r = W - 1; r >= 0; r--) {
      const k = start + order[r]! * stride;
      running = Math.min(running, (pAt[k]! * W) / (r + 1));
      qAt[k] = running;
    }
  };

  const hourly = makeHourlyCounts(pairs, config.baseline.maxWeeks * WEEK_HOURS + 24);
  /** Report times per pair, ascending, within the longest window of the latest evaluation. */
  const recent: number[][] = Array.from({ length: pairs }, () => []);
  const cusum = new Float64Array(pairs);
  let cusumHour: number | undefined;
  const tracks = new Map<number, Track>();
  let baseline: Baseline | undefined;
  let baselineDayHour = Number.NaN;
  /** Each pair's dispersion α, learnt with the baseline from the same weeks. */
  let dispersion: Float64Array = new Float64Array(pairs);

  const lowerBound = (xs: readonly number[], t: number): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const localDayStartHour = (nowMs: number) => {
    const hour = hourIndexOf(nowMs);
    return hour - ((hour + 7) % 24 + 24) % 24;
  };

  const updateCusum = (b: Baseline, nowMs: number) => {
    // Completed hours only: from the one after the last seen up to the one before now's.
    const current = hourIndexOf(nowMs);
    if (cusumHour === undefined) cusumHour = current - 1;
    for (let h = cusumHour + 1; h < current; h++) {
      const slot = hourOfWeekOfHour(h);
      for (let p = 0; p < pairs; p++) cusum[p] = poissonCusum(cusum[p]!, hourly.count(p, h), b.perHour(p, slot), config.cusum.ratio);
    }
    if (current - 1 > cusumHour) cusumHour = current - 1;
  };

  const iso = (ms: number) => new Date(ms).toISOString();

  return {
    observe(report) {
      const w = wardIndex.get(report.ward);
      const c = categoryIndex.get(report.category);
      if (w === undefined || c === undefined || !Number.isFinite(report.createdAtMs)) return;
      const p = w * C + c;
      hourly.add(p, report.createdAtMs);
      const xs = recent[p]!;
      if (xs.length === 0 || xs[xs.length - 1]! <= report.createdAtMs) xs.push(report.createdAtMs);
      else xs.splice(lowerBound(xs, report.createdAtMs), 0, report.createdAtMs);
    },

    evaluate(nowMs) {
      const dayHour = localDayStartHour(nowMs);
      if (baseline === undefined || dayHour !== baselineDayHour) {
        baseline = learnBaseline(hourly, dayHour, layout, config.baseline);
        dispersion = learnDispersion(hourly, dayHour, baseline.weeks, layout, config.dispersion);
        baselineDayHour = dayHour;
      }
      for (const xs of recent) {
        const drop = lowerBound(xs, nowMs - longestMs);
        if (drop > 0) xs.splice(0, drop);
      }
      const b = baseline;
      if (!b.ready) return { learning: true, active: [], raised: [], closed: [] };
      if (config.cusum.enabled) updateCusum(b, nowMs);

      // The tests, window-major: index i * pairs + p for window i and pair p.
      for (let i = 0; i < nWindows; i++) {
        const span = windowsMs[i]!;
        for (let p = 0; p < pairs; p++) {
          const xs = recent[p]!;
          const k = i * pairs + p;
          const n = xs.length === 0 ? 0 : lowerBound(xs, nowMs) - lowerBound(xs, nowMs - span);
          const e = b.expectedIn(p, nowMs - span, nowMs);
          observedAt[k] = n;
          expectedAt[k] = e;
          pAt[k] = negativeBinomialUpperTail(n, e, dispersion[p]!);
        }
        for (let c = 0; c < C; c++) bhAdjustInPlace(i * pairs + c, C);
      }
      const testOf = (i: number, p: number): Test => {
        const k = i * pairs + p;
        return { observed: observedAt[k]!, expected: expectedAt[k]!, p: pAt[k]!, q: qAt[k]! };
      };

      /** The window that best shows the pair: smallest q among windows with enough reports. */
      const best = (p: number): { window: number; test: Test } | undefined => {
        let window = -1;
        for (let i = 0; i < nWindows; i++) {
          const k = i * pairs + p;
          if (observedAt[k]! < config.minCount) continue;
          if (window < 0 || qAt[k]! < qAt[window * pairs + p]!) window = i;
        }
        return window < 0 ? undefined : { window, test: testOf(window, p) };
      };
      const longestTest = (p: number) => testOf(nWindows - 1, p);
      /**
       * The window a hotspot shows (its observed/expected, its reports as evidence): the longest in
       * which it is elevated (q ≤ alphaClear, the level that keeps it open, with enough reports), so a
       * burst's evidence holds all of its reports; else the best. With the negative binomial tail a
       * short window often has the smallest q (a long window's expected count leaves more room for an
       * ordinary busy day), and showing it alone left the burst's earlier reports out of the evidence.
       */
      const shownOf = (p: number, bt: { window: number; test: Test } | undefined): { window: number; test: Test } => {
        for (let i = nWindows - 1; i >= 0; i--) {
          const k = i * pairs + p;
          if (observedAt[k]! >= config.minCount && qAt[k]! <= config.alphaClear) return { window: i, test: testOf(i, p) };
        }
        return bt ?? { window: nWindows - 1, test: longestTest(p) };
      };
      const cusumAlarm = (p: number) => config.cusum.enabled && cusum[p]! > config.cusum.threshold && observedAt[(nWindows - 1) * pairs + p]! >= config.minCount;
      const rawElevated = (p: number) => {
        for (let i = 0; i < nWindows; i++) if (pAt[i * pairs + p]! < config.neighbourAlpha && observedAt[i * pairs + p]! >= 2) return true;
        return false;
      };

      const raised: Hotspot[] = [];
      const closed: Hotspot[] = [];
      const touched: { p: number; track: Track; bestTest: { window: number; test: Test } | undefined; viaCusum: boolean }[] = [];
      for (let p = 0; p < pairs; p++) {
        const bt = best(p);
        const raise = bt !== undefined && bt.test.q < config.alphaRaise;
        const viaCusum = !raise && cusumAlarm(p);
        const sustain = (bt !== undefined && bt.test.q <= config.alphaClear) || cusumAlarm(p);
        let track = tracks.get(p);
        if (!track) {
          if (!raise && !viaCusum) continue;
          const w = Math.floor(p / C);
          const c = p % C;
          const shown = shownOf(p, bt);
          const ratio = shown.test.observed / shown.test.expected;
          track = {
            quiet: 0,
            raisedRatio: ratio,
            ratioEwma: ratio,
            hotspot: {
              id: `hs-${wards[w]!.code}-${categories[c]!}-${nowMs.toString(36)}`,
              ward: wards[w]!.code,
              category: categories[c]!,
              windowHours: windowsMs[shown.window]! / HOUR_MS,
              observed: shown.test.observed,
              expected: shown.test.expected,
              pValue: shown.test.p,
              qValue: shown.test.q,
              severity: 1,
              state: 'new',
              trigger: raise ? 'window' : 'cusum',
              startedAt: iso(nowMs),
              updatedAt: iso(nowMs),
              neighboursElevated: [],
              explanation: { vi: '', en: '' },
            },
          };
          tracks.set(p, track);
          raised.push(track.hotspot);
          touched.push({ p, track, bestTest: shown, viaCusum });
          continue;
        }
        const h = track.hotspot;
        const shown = shownOf(p, bt);
        h.windowHours = windowsMs[shown.window]! / HOUR_MS;
        h.observed = shown.test.observed;
        h.expected = shown.test.expected;
        h.pValue = shown.test.p;
        h.qValue = shown.test.q;
        h.updatedAt = iso(nowMs);
        const previousEwma = track.ratioEwma;
        track.ratioEwma = ewma(track.ratioEwma, shown.test.observed / shown.test.expected, config.ewma.lambda);
        if (raise || sustain) {
          track.quiet = 0;
          h.state =
            track.ratioEwma >= track.raisedRatio * (1 + config.ewma.intensifyMargin) && track.ratioEwma >= previousEwma ? 'intensifying' : 'persistent';
        } else {
          track.quiet += 1;
          h.state = 'fading';
          const lived = nowMs - Date.parse(h.startedAt);
          if (track.quiet >= config.clearAfterEvaluations && lived >= config.minLifetimeMinutes * MINUTE_MS) {
            h.state = 'closed';
            tracks.delete(p);
            closed.push(h);
          }
        }
        touched.push({ p, track, bestTest: shown, viaCusum: h.trigger === 'cusum' });
      }

      // Severity and the neighbours, once every pair has its state for this evaluation.
      for (const { p, track } of touched) {
        const h = track.hotspot;
        const w = Math.floor(p / C);
        const c = p % C;
        h.neighboursElevated = neighbours[w]!.filter((n) => tracks.has(n * C + c) || rawElevated(n * C + c)).map((n) => wards[n]!.code);
        const ratio = h.observed / h.expected;
        const base = ratio >= config.severityRatios[1] ? 3 : ratio >= config.severityRatios[0] ? 2 : 1;
        h.severity = Math.min(4, base + (h.neighboursElevated.length > 0 ? 1 : 0)) as Hotspot['severity'];
        h.explanation = explainHotspot(h);
      }

      const snapshot = (h: Hotspot): Hotspot => ({ ...h, neighboursElevated: [...h.neighboursElevated], explanation: { ...h.explanation } });
      return {
        learning: false,
        active: [...tracks.values()].map((t) => snapshot(t.hotspot)),
        raised: raised.map(snapshot),
        closed: closed.map(snapshot),
      };
    },
  };
}
