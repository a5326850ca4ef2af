// Customer info (X-Customer-Info or the integration's header): a JSON object
// shown to the agent on the incoming and active call, its keys (and keyword
// values) worded by customerInfoContextDisplayMapping. A value that is not a
// JSON object is shown as it came; nothing here ever throws.

export interface CustomerInfoItem {
  /** The key as sent. */
  key: string;
  /** The key's readable text from the mapping, or the key itself. */
  label: string;
  /** The value as text; a keyword value is worded by the mapping too. */
  value: string;
}

export type CustomerInfo =
  | { kind: 'items'; items: CustomerInfoItem[] }
  | { kind: 'raw'; text: string };

/** The longest header value kept, so a huge header cannot flood the page. */
export const maxCustomerInfoLength = 8192;

function parseObject(s: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/**
 * parseCustomerInfo reads a customer-info header value. JSON that is
 * percent-encoded (as some platforms send it) is decoded first. Returns null
 * for an absent or blank header.
 */
export function parseCustomerInfo(header: string | null | undefined, mapping: Readonly<Record<string, string>>): CustomerInfo | null {
  const text = (header ?? '').trim().slice(0, maxCustomerInfoLength);
  if (!text) return null;
  let o = parseObject(text);
  if (!o && /%[0-9a-f]{2}/i.test(text)) {
    try {
      o = parseObject(decodeURIComponent(text));
    } catch {
      o = null;
    }
  }
  if (!o) return { kind: 'raw', text };
  const has = (k: string) => Object.prototype.hasOwnProperty.call(mapping, k);
  const items = Object.entries(o).map(([key, v]) => {
    const value = valueText(v);
    return { key, label: has(key) ? mapping[key] : key, value: has(value) ? mapping[value] : value };
  });
  return { kind: 'items', items };
}
