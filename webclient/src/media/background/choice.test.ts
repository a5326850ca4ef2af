import { describe, expect, it } from 'vitest';
import { addImage, imageURL, readChoice, readImages, removeImage, setChoice, validChoice } from './choice';
import { brandImageURL, readBackgroundConfig } from './config';

/** A Storage in memory, as the browser's web storage behaves. */
function memoryStorage(quota = Infinity): Storage {
  const m = new Map<string, string>();
  return {
    get length() { return m.size; },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => {
      if (v.length > quota) throw new DOMException('quota', 'QuotaExceededError');
      m.set(k, v);
    },
  };
}

const jpeg = 'data:image/jpeg;base64,AAAA';

describe('readBackgroundConfig', () => {
  it('is off with 5 images by default', () => {
    expect(readBackgroundConfig({})).toEqual({ supported: false, maxLocalImages: 5 });
  });
  it('reads virtualBackgroundSupported, or the deprecated supported', () => {
    expect(readBackgroundConfig({ localVideoFilter: { virtualBackgroundSupported: true, maxSizeForLocalBGImages: 2 } })).toEqual({ supported: true, maxLocalImages: 2 });
    expect(readBackgroundConfig({ localVideoFilter: { supported: true } }).supported).toBe(true);
  });
  it('takes the default for a mistyped or out-of-range value', () => {
    expect(readBackgroundConfig({ localVideoFilter: { virtualBackgroundSupported: 'true', maxSizeForLocalBGImages: 101 } })).toEqual({ supported: false, maxLocalImages: 5 });
    expect(readBackgroundConfig({ localVideoFilter: { maxSizeForLocalBGImages: 1.5 } }).maxLocalImages).toBe(5);
  });
});

describe('background choice', () => {
  it('names the brand images as the manual does', () => {
    expect(brandImageURL(1)).toBe('images/virtual-backgrounds/image01.jpg');
    expect(brandImageURL(12)).toBe('images/virtual-backgrounds/image12.jpg');
  });

  it('accepts only choices of existing backgrounds', () => {
    const images = [{ id: 'a', url: jpeg }];
    expect(validChoice({ kind: 'brand', n: 5 }, 5, images)).toEqual({ kind: 'brand', n: 5 });
    expect(validChoice({ kind: 'brand', n: 6 }, 5, images)).toEqual({ kind: 'none' });
    expect(validChoice({ kind: 'local', id: 'a' }, 5, images)).toEqual({ kind: 'local', id: 'a' });
    expect(validChoice({ kind: 'local', id: 'b' }, 5, images)).toEqual({ kind: 'none' });
    expect(validChoice('blur', 5, images)).toEqual({ kind: 'none' });
  });

  it('keeps at most max added images and forgets a removed one and its choice', () => {
    const s = memoryStorage();
    const first = addImage(s, jpeg, 2);
    const second = addImage(s, jpeg, 2);
    expect(first && second).toBeTruthy();
    expect(addImage(s, jpeg, 2)).toBeNull();
    expect(readImages(s).map((i) => i.id)).toEqual([first?.id, second?.id]);

    setChoice(s, { kind: 'local', id: second!.id });
    expect(readChoice(s, 5)).toEqual({ kind: 'local', id: second!.id });
    expect(imageURL(readChoice(s, 5), readImages(s), brandImageURL)).toBe(jpeg);
    removeImage(s, second!.id, 5);
    expect(readImages(s).map((i) => i.id)).toEqual([first?.id]);
    expect(readChoice(s, 5)).toEqual({ kind: 'none' });
  });

  it('refuses an image the storage has no room for', () => {
    const s = memoryStorage(10);
    expect(addImage(s, jpeg, 5)).toBeNull();
    expect(readImages(s)).toEqual([]);
  });

  it('ignores stored images that are not data: images', () => {
    const s = memoryStorage();
    s.setItem('softphone.backgroundImages', JSON.stringify([{ id: 'x', url: 'https://evil.example/x.jpg' }, { id: 'y', url: jpeg }]));
    expect(readImages(s).map((i) => i.id)).toEqual(['y']);
  });

  it('keeps nothing without web storage', () => {
    expect(readChoice(null, 5)).toEqual({ kind: 'none' });
    expect(addImage(null, jpeg, 5)).toBeNull();
  });
});
