import { describe, expect, it } from 'vitest';
import { loadStrings, type Resource } from './load';

function cache(initial: Resource | null) {
  let stored = initial;
  return { strings: () => stored, setStrings: (s: Resource) => { stored = s; }, get stored() { return stored; } };
}

const de = { LANGUAGE_RESOURCE_LOCALE: 'de-DE', CALL: 'Anrufen' };
const he = { LANGUAGE_RESOURCE_LOCALE: 'he-IL', CALL: 'התקשר' };

describe('loadStrings', () => {
  it('shows the cached resource first, then the fetched one, and caches it', async () => {
    const c = cache(de);
    const shown: (Resource | null)[] = [];
    await loadStrings(c, async () => he, true, (r) => shown.push(r));
    expect(shown).toEqual([de, he]);
    expect(c.stored).toEqual(he);
  });

  it('shows once when the fetched resource equals the cached one', async () => {
    const shown: (Resource | null)[] = [];
    await loadStrings(cache(de), async () => ({ ...de }), false, (r) => shown.push(r));
    expect(shown).toEqual([de]);
  });

  it('keeps the cache when the fetch fails', async () => {
    const c = cache(de);
    const shown: (Resource | null)[] = [];
    await loadStrings(c, async () => { throw new Error('offline'); }, true, (r) => shown.push(r));
    expect(shown).toEqual([de]);
    expect(c.stored).toEqual(de);
  });

  it('with waitForDefaultResourceFetch and no cache, shows nothing until the fetch lands', async () => {
    const shown: (Resource | null)[] = [];
    let land: (r: Resource | null) => void = () => {};
    const done = loadStrings(cache(null), () => new Promise((r) => { land = r; }), true, (r) => shown.push(r));
    await Promise.resolve();
    expect(shown).toEqual([]);
    land(de);
    await done;
    expect(shown).toEqual([de]);
  });

  it('with waitForDefaultResourceFetch, no cache and no resource, falls back to English', async () => {
    const shown: (Resource | null)[] = [];
    await loadStrings(cache(null), async () => null, true, (r) => shown.push(r));
    expect(shown).toEqual([null]);
  });

  it('without waitForDefaultResourceFetch, shows English at once, then the fetched text', async () => {
    const shown: (Resource | null)[] = [];
    await loadStrings(cache(null), async () => de, false, (r) => shown.push(r));
    expect(shown).toEqual([null, de]);
  });
});
