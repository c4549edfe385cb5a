import { describe, expect, it } from 'vitest';
import { dateTimeFormat, numberFormat } from './intl-cache';

describe('Intl formatters made once', () => {
  it('gives the same formatter for the same locale and options, another for others', () => {
    const a = numberFormat('vi', { maximumFractionDigits: 0 });
    expect(numberFormat('vi', { maximumFractionDigits: 0 })).toBe(a);
    expect(numberFormat('en', { maximumFractionDigits: 0 })).not.toBe(a);
    expect(numberFormat('vi', { maximumFractionDigits: 1 })).not.toBe(a);
    expect(a.format(1234567)).toBe('1.234.567');
    const t = dateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', hourCycle: 'h23' });
    expect(dateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', hourCycle: 'h23' })).toBe(t);
    expect(t.format(Date.parse('2026-11-20T01:00:00Z'))).toBe('08');
  });
});
