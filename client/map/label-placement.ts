/** A label's box at its anchor, in screen pixels, centred on (x, y). */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher places first and so keeps its preferred spot. */
  priority: number;
  /** No candidate smaller than this (a name an inset shows larger is not squeezed in here too). @default 0 */
  minScale?: number;
}

/** A way to draw a label: a scale of its full size and a vertical shift in label heights. */
export interface LabelCandidate {
  scale: number;
  shift: number;
}

/** Full size in place, then nudged up or down, then smaller. */
export const LABEL_CANDIDATES: readonly LabelCandidate[] = [
  { scale: 1, shift: 0 },
  { scale: 1, shift: -0.9 },
  { scale: 1, shift: 0.9 },
  { scale: 0.72, shift: 0 },
  { scale: 0.72, shift: -0.9 },
  { scale: 0.72, shift: 0.9 },
  { scale: 0.72, shift: -1.6 },
  { scale: 0.72, shift: 1.6 },
];

export interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function rectOf(box: LabelBox, c: LabelCandidate): Rect {
  const w = box.width * c.scale;
  const h = box.height * c.scale;
  const cy = box.y + c.shift * box.height;
  return { left: box.x - w / 2, right: box.x + w / 2, top: cy - h / 2, bottom: cy + h / 2 };
}

const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const inside = (a: Rect, frame: Rect) => a.left >= frame.left && a.right <= frame.right && a.top >= frame.top && a.bottom <= frame.bottom;

/**
 * Greedy placement: by priority, each label takes the first candidate that overlaps no label
 * placed before it (and, given a `frame`, lies wholly inside it: a name cut by the map's edge, as
 * an inset's were, reads as another word); a label with no free candidate gets -1 (crowded out).
 * Returns the chosen candidate index per input box, in input order.
 */
export function chooseLabelPlacements(boxes: readonly LabelBox[], candidates: readonly LabelCandidate[] = LABEL_CANDIDATES, frame?: Rect): number[] {
  const order = boxes.map((_, i) => i).sort((a, b) => (boxes[b]?.priority ?? 0) - (boxes[a]?.priority ?? 0));
  const placed: Rect[] = [];
  const chosen = new Array<number>(boxes.length).fill(0);
  for (const i of order) {
    const box = boxes[i];
    if (!box) continue;
    const pick = candidates.findIndex((c) => {
      if (c.scale < (box.minScale ?? 0)) return false;
      const r = rectOf(box, c);
      return (!frame || inside(r, frame)) && !placed.some((p) => overlaps(p, r));
    });
    const c = candidates[pick];
    if (c) placed.push(rectOf(box, c));
    chosen[i] = pick;
  }
  return chosen;
}

/**
 * Measures each label's text at full size and applies the chosen scale and shift to it. A label
 * with no free spot (inside `frame`, the map's container, when given) gets `ward-label--crowded`
 * when `hideCrowded` (another view shows it, or the province has more names than room: the most
 * populous units keep theirs), else it is drawn small in place.
 */
export function placeLabels(labels: readonly { el: HTMLElement; priority: number; minScale?: number }[], hideCrowded = false, frame?: HTMLElement): void {
  const spans = labels.map((l) => l.el.firstElementChild as HTMLElement | null);
  for (const s of spans) if (s) s.style.transform = '';
  const boxes: LabelBox[] = labels.map((l, i) => {
    const r = (spans[i] ?? l.el).getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width, height: r.height, priority: l.priority, ...(l.minScale === undefined ? {} : { minScale: l.minScale }) };
  });
  const smallInPlace = LABEL_CANDIDATES.findIndex((c) => c.scale < 1 && c.shift === 0);
  // Only a map that hides crowded names keeps them inside its frame: one that draws every name small
  // in place (no other view shows it) would rather show it cut than not at all.
  const f = hideCrowded ? frame?.getBoundingClientRect() : undefined;
  chooseLabelPlacements(boxes, LABEL_CANDIDATES, f && { left: f.left, top: f.top, right: f.right, bottom: f.bottom }).forEach((pick, i) => {
    const crowded = pick < 0;
    labels[i]?.el.classList.toggle('ward-label--crowded', crowded && hideCrowded);
    const c = LABEL_CANDIDATES[crowded ? smallInPlace : pick];
    const s = spans[i];
    if (c && s) s.style.transform = `translateY(${c.shift * 100}%) scale(${c.scale})`;
  });
}
