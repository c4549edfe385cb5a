import { describe, expect, it } from 'vitest';
import { WARDS } from '@shared/wards';
import { makeBriefingI18n } from './i18n';
import { EMPTY_TYPEAHEAD, matchWard, parseParams, recoveryText, searchFor, stepPage, tourPages, typeKey, typing, TYPEAHEAD_RESET_MS } from './tour';

const wardList = WARDS.map((w) => ({ code: w.code, name: w.name }));
const codeOf = (name: string) => WARDS.find((w) => w.name === name)!.code;

describe('tour pages', () => {
  it('go summary, ranking, then the wards in ranking order or by code', () => {
    expect(tourPages(['19755', '19753'], 'rank')).toEqual(['summary', 'ranking', '19755', '19753']);
    expect(tourPages(['19755', '19753'], 'code')).toEqual(['summary', 'ranking', '19753', '19755']);
  });

  it('step forward and back and stop at the ends', () => {
    const pages = ['summary', 'ranking', 'a', 'b'];
    expect(stepPage(pages, 'summary', 1)).toBe('ranking');
    expect(stepPage(pages, 'ranking', 1)).toBe('a');
    expect(stepPage(pages, 'b', 1)).toBe('b');
    expect(stepPage(pages, 'summary', -1)).toBe('summary');
    expect(stepPage(pages, 'nonsense', 1)).toBe('ranking');
  });
});

describe('address bar', () => {
  it('reads the parameters with their defaults', () => {
    const now = Date.parse('2026-11-25T03:00:00Z'); // Wednesday of 2026-W48
    expect(parseParams('', now)).toEqual({ week: '2026-W47', page: 'summary', order: 'rank', advanceS: 45, print: false });
    expect(parseParams('?week=2026-W40&page=19753&order=code&advance=0&print=1', now)).toEqual({
      week: '2026-W40',
      page: '19753',
      order: 'code',
      advanceS: 0,
      print: true,
    });
  });

  it('sets week and page and keeps the rest', () => {
    expect(searchFor('?lang=en&week=2026-W40&advance=30', '2026-W47', '19753')).toBe('?lang=en&week=2026-W47&advance=30&page=19753');
  });
});

describe('typing a ward name', () => {
  it('matches with or without diacritics, prefix or full name', () => {
    expect(matchWard('Phú Xuân', wardList)).toBe(codeOf('Phú Xuân'));
    expect(matchWard('phu xuan', wardList)).toBe(codeOf('Phú Xuân'));
    expect(matchWard('phường phú xuân', wardList)).toBe(codeOf('Phú Xuân'));
    expect(matchWard('thuan hoa', wardList)).toBe(codeOf('Thuận Hóa'));
    expect(matchWard('xyz', wardList)).toBeNull();
    expect(matchWard('', wardList)).toBeNull();
  });

  it('every ward is reachable by its ASCII name', () => {
    for (const w of WARDS) expect(matchWard(w.nameAscii, wardList)).toBe(w.code);
  });

  it('collects letters, keeps spaces inside a name, and starts over after a pause', () => {
    let t = EMPTY_TYPEAHEAD;
    expect(typeKey(t, ' ', 1000)).toBeNull(); // a space alone is "pause", not typing
    t = typeKey(t, 'p', 1000)!;
    t = typeKey(t, 'h', 1100)!;
    t = typeKey(t, ' ', 1200)!;
    t = typeKey(t, 'x', 1300)!;
    expect(t.text).toBe('ph x');
    expect(typing(t, 1300 + TYPEAHEAD_RESET_MS - 1)).toBe(true);
    expect(typing(t, 1300 + TYPEAHEAD_RESET_MS)).toBe(false);
    expect(typeKey(t, 'a', 1300 + TYPEAHEAD_RESET_MS)!.text).toBe('a');
    expect(typeKey(t, 'Backspace', 1400)!.text).toBe('ph ');
    expect(typeKey(t, 'ArrowRight', 1400)).toBeNull();
    expect(typeKey(t, 'ư', 1400)!.text).toBe('ph xư');
  });
});

describe('what recovers points', () => {
  const vi = makeBriefingI18n('vi');
  const en = makeBriefingI18n('en');
  it('names the dossiers due and the progress points they would bring', () => {
    const r = { dueSoon: 12, progressIfResolved: 18.8, progressGain: 1.8, overdueToClear: 0 };
    expect(recoveryText(r, vi.t, vi.locale)).toBe('Giải quyết đúng hạn 12 hồ sơ đến hạn tuần tới: +1,8 điểm tiến độ');
    expect(recoveryText(r, en.t, en.locale)).toBe('Resolve the 12 dossiers due next week on time: +1.8 progress points');
  });
  it('says when points are already full, when late ones wait, and when nothing is due', () => {
    expect(recoveryText({ dueSoon: 3, progressIfResolved: 20, progressGain: 0, overdueToClear: 2 }, vi.t, vi.locale)).toBe(
      'Giữ đúng hạn 3 hồ sơ đến hạn tuần tới (điểm tiến độ đã tối đa); xử lý dứt điểm 2 hồ sơ đã trễ hạn',
    );
    expect(recoveryText({ dueSoon: 0, progressIfResolved: null, progressGain: null, overdueToClear: 2 }, en.t, en.locale)).toBe('Clear the 2 late dossiers');
    expect(recoveryText({ dueSoon: 0, progressIfResolved: null, progressGain: null, overdueToClear: 0 }, vi.t, vi.locale)).toBe('Không có hồ sơ đến hạn tuần tới');
  });
});
