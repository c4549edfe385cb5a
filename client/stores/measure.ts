/**
 * Times `work` as a `performance.measure` named `name` (seen by a PerformanceObserver: bench:wall
 * reads them), then clears it from the timeline buffer at once: a wall runs for weeks, and 50 frames
 * a second of kept entries would grow its memory without bound.
 */
export function measured<T>(name: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(name, { start, end: performance.now() });
    performance.clearMeasures(name);
  }
}
