// localVideoFilter: whether the agent may put a virtual background behind
// the outgoing camera, and how many images of their own they may add. Read
// from the raw advancedOptions globals; a missing or mistyped value takes
// the default (off, 5 images). No DOM.

import { intOpt } from '../../config/contract';

export interface BackgroundConfig {
  /** virtualBackgroundSupported (or the deprecated supported). Default false. */
  supported: boolean;
  /** maxSizeForLocalBGImages: images the agent may add, 0 to 100. Default 5. */
  maxLocalImages: number;
}

/** The brand's backgrounds, served at images/virtual-backgrounds/imageNN.jpg. */
export const brandImageCount = 5;

/** brandImageURL is the served path of brand background n (1-based), relative to the page. */
export function brandImageURL(n: number): string {
  return `images/virtual-backgrounds/image${String(n).padStart(2, '0')}.jpg`;
}

export function readBackgroundConfig(raw: Readonly<Record<string, unknown>>): BackgroundConfig {
  const v = raw.localVideoFilter;
  const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const flag = o.virtualBackgroundSupported ?? o.supported;
  const max = o.maxSizeForLocalBGImages;
  return {
    supported: flag === true,
    maxLocalImages: intOpt(max, 'localVideoFilter.maxSizeForLocalBGImages'),
  };
}
