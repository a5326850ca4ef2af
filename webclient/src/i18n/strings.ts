// Text resource loading (manual, "Language and Text Customization"): start
// from the cached resource, fetch the configured or default file, keep the
// fetched copy in the cache. Empty or missing entries use the English defaults.
import { defaultStrings, type StringKey, type Strings } from './defaults';

export const defaultResourceURL = 'static/localization/strings-default.json';

/** mergeStrings overlays a resource's non-empty string values on the defaults. */
export function mergeStrings(resource: unknown): Strings {
  const out: Strings = { ...defaultStrings };
  if (resource && typeof resource === 'object' && !Array.isArray(resource)) {
    for (const [k, v] of Object.entries(resource as Record<string, unknown>)) {
      if (k in out && typeof v === 'string' && v.trim() !== '') out[k as StringKey] = v;
    }
  }
  return out;
}

/** fetchStrings fetches a text resource; null when it cannot be had. */
export async function fetchStrings(url: string): Promise<Record<string, string> | null> {
  try {
    const res = await fetch(url || defaultResourceURL, { cache: 'no-cache', credentials: 'same-origin' });
    if (!res.ok) return null;
    const data: unknown = await res.json();
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, string>) : null;
  } catch {
    return null;
  }
}

/** format replaces {name} placeholders. */
export function format(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/**
 * localeOf is the resource's LANGUAGE_RESOURCE_LOCALE when it is a valid
 * BCP 47 tag, canonicalised (e.g. "de-de" -> "de-DE"); otherwise en-US.
 */
export function localeOf(strings: { LANGUAGE_RESOURCE_LOCALE: string }): string {
  try {
    return Intl.getCanonicalLocales(strings.LANGUAGE_RESOURCE_LOCALE.trim())[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** formatDateTime writes a time stamp the way the locale writes dates and times. */
export function formatDateTime(ms: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
}
