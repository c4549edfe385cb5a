import { describe, expect, it } from 'vitest';
import { certaintyLabel, formatWarningTime, SEVERITY_COLORS } from './warning-text';

// WCAG 2 relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

describe('banner colours', () => {
  it('checks the ratio itself against known pairs', () => {
    expect(contrast('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each(Object.entries(SEVERITY_COLORS))('%s: text on its background is at least 4.5:1', (_, c) => {
    expect(contrast(c.text, c.background)).toBeGreaterThanOrEqual(4.5);
  });

  it('Extreme is red and Severe orange, as CAP and WMO colour them', () => {
    const hue = (hex: string) => {
      const [r, g] = [1, 3].map((i) => parseInt(hex.slice(i, i + 2), 16));
      return g! / r!;
    };
    expect(hue(SEVERITY_COLORS.Extreme.background)).toBeLessThan(0.2);
    expect(hue(SEVERITY_COLORS.Severe.background)).toBeGreaterThan(0.4);
    expect(hue(SEVERITY_COLORS.Severe.background)).toBeLessThan(0.7);
  });
});

describe('formatWarningTime', () => {
  it.each([
    // 23:30 UTC is 06:30 the next day in Huế (UTC+7): the day must follow Huế, not UTC.
    { iso: '2026-11-20T23:30:00Z', text: '06:30 21/11' },
    { iso: '2026-11-20T18:00:00+07:00', text: '18:00 20/11' },
    { iso: '2026-11-21T00:05:00+07:00', text: '00:05 21/11' },
  ])('$iso: $text', ({ iso, text }) => {
    expect(formatWarningTime(iso)).toBe(text);
  });
});

describe('certaintyLabel', () => {
  it('translates CAP values and shows others as sent', () => {
    expect(certaintyLabel('Likely')).toEqual({ vi: 'Nhiều khả năng', en: 'Likely' });
    expect(certaintyLabel('Very likely')).toEqual({ vi: 'Very likely', en: 'Very likely' });
  });
});
