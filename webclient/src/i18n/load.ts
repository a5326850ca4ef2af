// The manual's text resource fetch behaviour, at each page load:
//   1. load the resource from the cache, if there is one;
//   2. fetch it from defaultLanguageResourceURL or the default location;
//   3. override the cache with the fetched resource.
// waitForDefaultResourceFetch hides the GUI until a resource is at hand
// (cached or fetched); when none can be had, the English defaults show.

export type Resource = Record<string, string>;

export interface StringsCache {
  strings(): Resource | null;
  setStrings(s: Resource): void;
}

/**
 * loadStrings calls show with the resource to display (null: the English
 * defaults): at once with the cached one (or null, unless wait), then again
 * when the fetch brings a different one. It resolves when done.
 */
export async function loadStrings(
  cache: StringsCache,
  fetch: () => Promise<Resource | null>,
  wait: boolean,
  show: (r: Resource | null) => void,
): Promise<void> {
  const cached = cache.strings();
  if (cached || !wait) show(cached);
  const fetched = await fetch().catch(() => null);
  if (fetched) cache.setStrings(fetched);
  if (fetched && JSON.stringify(fetched) !== JSON.stringify(cached)) show(fetched);
  else if (!cached && wait) show(null);
}
