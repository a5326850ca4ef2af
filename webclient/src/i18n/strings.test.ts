import { describe, expect, it } from 'vitest';
import { defaultStrings } from './defaults';
import { format, formatDateTime, localeOf, mergeStrings } from './strings';

describe('mergeStrings', () => {
  it('overrides known keys with non-empty strings only', () => {
    const s = mergeStrings({ CALL: 'Anrufen', HANG_UP: '', ANSWER: 42, UNKNOWN_KEY: 'x', LANGUAGE_RESOURCE_LOCALE: 'de-DE' });
    expect(s.CALL).toBe('Anrufen');
    expect(s.HANG_UP).toBe(defaultStrings.HANG_UP);
    expect(s.ANSWER).toBe(defaultStrings.ANSWER);
    expect(s.LANGUAGE_RESOURCE_LOCALE).toBe('de-DE');
    expect('UNKNOWN_KEY' in s).toBe(false);
  });
  it.each([null, 'text', [1, 2], undefined])('falls back to the defaults for %j', (v) => {
    expect(mergeStrings(v)).toEqual(defaultStrings);
  });
  it('formats placeholders', () => {
    expect(format('{n} calls, {x}', { n: 2 })).toBe('2 calls, {x}');
  });
});

describe('locale', () => {
  it.each([
    ['de-DE', 'de-DE'],
    ['he-il', 'he-IL'],
    ['', 'en-US'],
    ['not a locale!', 'en-US'],
  ])('LANGUAGE_RESOURCE_LOCALE %j is %s', (tag, want) => {
    expect(localeOf(mergeStrings({ LANGUAGE_RESOURCE_LOCALE: tag }))).toBe(want);
  });
  it('formats dates the locale way', () => {
    const at = Date.UTC(2026, 10, 21, 12, 0);
    expect(formatDateTime(at, 'de-DE')).toMatch(/^21\.11\.26/);
    expect(formatDateTime(at, 'en-US')).toMatch(/^11\/21\/26/);
  });
});
