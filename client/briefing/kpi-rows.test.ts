import { describe, expect, it } from 'vitest';
import { makeBriefingI18n } from './i18n';
import { changeOf, cityAverage, formatMinutes, formatValue } from './kpi-rows';

describe('week-on-week changes', () => {
  it('counts, rates in points, and Decision 766 points, each with its good direction', () => {
    expect(changeOf(12, 9, { kind: 'count', better: 'none' }, 'vi-VN')).toEqual({ arrow: '▲', text: '+3', tone: 'neutral' });
    expect(changeOf(4, 9, { kind: 'count', better: 'down' }, 'vi-VN')).toEqual({ arrow: '▼', text: '−5', tone: 'good' });
    expect(changeOf(0.84, 0.8, { kind: 'rate', better: 'up' }, 'vi-VN')).toEqual({ arrow: '▲', text: '+4', tone: 'good' });
    expect(changeOf(16.2, 18, { kind: 'points', better: 'up' }, 'vi-VN')).toEqual({ arrow: '▼', text: '−1,8', tone: 'bad' });
    expect(changeOf(5, 5, { kind: 'count', better: 'up' }, 'en-GB')).toEqual({ arrow: '=', text: '0', tone: 'neutral' });
    expect(changeOf(null, 5, { kind: 'count', better: 'up' }, 'en-GB').arrow).toBe('');
  });

  it('formats values and the city yardstick', () => {
    expect(formatValue(0.845, 'rate', 'vi-VN')).toBe('85%');
    expect(formatValue(null, 'rate', 'vi-VN')).toBe('—');
    expect(formatValue(1234, 'count', 'vi-VN')).toBe('1.234');
    expect(cityAverage(400, 'count', 40)).toBe(10);
    expect(cityAverage(0.8, 'rate', 40)).toBe(0.8);
  });

  it('says durations in minutes or hours', () => {
    const { t } = makeBriefingI18n('vi');
    expect(formatMinutes(12.4, t)).toBe('12 phút');
    expect(formatMinutes(185, t)).toBe('3 giờ 05 phút');
    expect(formatMinutes(null, t)).toBe('—');
  });
});
