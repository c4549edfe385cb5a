import { describe, expect, it } from 'vitest';
import { wilsonInterval } from './stats';

describe('wilsonInterval (95 %)', () => {
  // Hand-computed: centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²), z = 1.96.
  it.each([
    { found: 41, n: 48, low: 0.7283, high: 0.9275 },
    { found: 44, n: 48, low: 0.8045, high: 0.9671 },
    { found: 0, n: 10, low: 0, high: 0.2775 },
    { found: 10, n: 10, low: 0.7225, high: 1 },
  ])('$found of $n → [$low, $high]', ({ found, n, low, high }) => {
    const [l, h] = wilsonInterval(found, n);
    expect(l).toBeCloseTo(low, 4);
    expect(h).toBeCloseTo(high, 4);
  });

  it('knows nothing from no plants', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
