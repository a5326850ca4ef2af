// The agent's background choice and the images they added, kept in the
// configured web storage (storageConfig.location) under the client's key
// prefix. A change is announced on the window so the camera pipeline and the
// settings picker stay in step without sharing an object. No model code here:
// this module is in the initial bundle.

export type BackgroundChoice =
  | { kind: 'none' }
  | { kind: 'blur' }
  | { kind: 'brand'; n: number }
  | { kind: 'local'; id: string };

export interface LocalImage {
  id: string;
  /** A downscaled JPEG as a data: URL. */
  url: string;
}

const choiceKey = 'softphone.background';
const imagesKey = 'softphone.backgroundImages';
/** The event a window receives when the choice changes. */
export const changeEvent = 'softphone-background';

function parse(v: string | null): unknown {
  try {
    return v ? JSON.parse(v) : null;
  } catch {
    return null;
  }
}

/** validChoice returns c when it names an existing background, else none. */
export function validChoice(c: unknown, brandCount: number, images: readonly LocalImage[]): BackgroundChoice {
  if (c === null || typeof c !== 'object') return { kind: 'none' };
  const o = c as Record<string, unknown>;
  if (o.kind === 'blur') return { kind: 'blur' };
  if (o.kind === 'brand' && typeof o.n === 'number' && Number.isInteger(o.n) && o.n >= 1 && o.n <= brandCount) return { kind: 'brand', n: o.n };
  if (o.kind === 'local' && typeof o.id === 'string' && images.some((i) => i.id === o.id)) return { kind: 'local', id: o.id };
  return { kind: 'none' };
}

export function readImages(storage: Storage | null): LocalImage[] {
  const v = parse(storage?.getItem(imagesKey) ?? null);
  if (!Array.isArray(v)) return [];
  return v.filter((i): i is LocalImage =>
    !!i && typeof i === 'object' && typeof i.id === 'string' && typeof i.url === 'string' && i.url.startsWith('data:image/'));
}

export function readChoice(storage: Storage | null, brandCount: number): BackgroundChoice {
  return validChoice(parse(storage?.getItem(choiceKey) ?? null), brandCount, readImages(storage));
}

/** addImage keeps url as a new image unless max images are kept already; returns it, or null. */
export function addImage(storage: Storage | null, url: string, max: number): LocalImage | null {
  if (!storage) return null;
  const images = readImages(storage);
  if (images.length >= max) return null;
  const image = { id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, url };
  try {
    storage.setItem(imagesKey, JSON.stringify([...images, image]));
  } catch (err) {
    // Storage full: the image is not kept.
    console.warn('storing a background image', err);
    return null;
  }
  return image;
}

/** removeImage forgets an added image; a choice of it falls back to none. */
export function removeImage(storage: Storage | null, id: string, brandCount: number): void {
  storage?.setItem(imagesKey, JSON.stringify(readImages(storage).filter((i) => i.id !== id)));
  const c = readChoice(storage, brandCount);
  if (c.kind === 'none') setChoice(storage, c);
}

export function setChoice(storage: Storage | null, c: BackgroundChoice): void {
  try {
    storage?.setItem(choiceKey, JSON.stringify(c));
  } catch (err) {
    console.warn('storing the background choice', err);
  }
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(changeEvent));
}

/** imageURL is the picture a choice puts behind the agent, or null for none and blur. */
export function imageURL(c: BackgroundChoice, images: readonly LocalImage[], brandURL: (n: number) => string): string | null {
  if (c.kind === 'brand') return brandURL(c.n);
  if (c.kind === 'local') return images.find((i) => i.id === c.id)?.url ?? null;
  return null;
}
