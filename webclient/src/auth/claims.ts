// SIP credentials from a sign-in: sipAttributes name claims that are
// searched recursively through the id token's claims and the user-info
// document (any depth, objects and arrays). No DOM.

type Doc = Record<string, unknown>;

/** Nesting deeper than this is not searched (a guard against hostile documents). */
const maxDepth = 32;

/**
 * findClaim returns the value of the attribute name found anywhere in the
 * documents, shallowest first and documents in order. Strings and finite
 * numbers count (a directory number may be a JSON number); a non-empty
 * array of them gives its first element. Other values are skipped.
 */
export function findClaim(docs: readonly unknown[], name: string): string | null {
  let level: unknown[] = [...docs];
  const seen = new Set<unknown>();
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: unknown[] = [];
    for (const node of level) {
      if (node === null || typeof node !== 'object' || seen.has(node)) continue;
      seen.add(node);
      if (Array.isArray(node)) {
        next.push(...node);
        continue;
      }
      const o = node as Doc;
      if (Object.prototype.hasOwnProperty.call(o, name)) {
        const v = scalar(o[name]);
        if (v !== null) return v;
      }
      for (const k of Object.keys(o)) next.push(o[k]);
    }
    level = next;
  }
  return null;
}

function scalar(v: unknown): string | null {
  if (Array.isArray(v)) return v.length > 0 ? scalar(v[0]) : null;
  if (typeof v === 'string') return v.trim() !== '' ? v : null;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export interface SipAttributeNames {
  sipUserAttribute: string | null;
  sipPasswordAttribute: string | null;
}

/** The SIP account a sign-in supplies. */
export interface SipCredentials {
  user: string;
  /** The digest password, or null: REGISTER carries "Authorization: Bearer <id token>". */
  password: string | null;
  displayName: string;
}

/** The standard claims the SIP user falls back to when no SIP_DN attribute is configured. */
const userFallbacks = ['preferred_username', 'upn', 'email', 'sub'];

/**
 * sipCredentials picks the SIP account out of the documents (id-token
 * claims first, then the user-info document). Without SIP_DN_Attribute_name
 * the user is the preferred_username (or upn, email, sub), the part before
 * "@" of it. It returns null when a configured attribute is not found.
 */
export function sipCredentials(names: SipAttributeNames, docs: readonly unknown[]): SipCredentials | null {
  let user: string | null;
  if (names.sipUserAttribute) {
    user = findClaim(docs, names.sipUserAttribute);
  } else {
    user = null;
    for (const c of userFallbacks) {
      const top = docs.map((d) => (d && typeof d === 'object' ? (d as Doc)[c] : undefined));
      user = top.map(scalar).find((v) => v !== null) ?? null;
      if (user) break;
    }
    if (user) user = user.split('@')[0];
  }
  if (!user) return null;
  let password: string | null = null;
  if (names.sipPasswordAttribute) {
    password = findClaim(docs, names.sipPasswordAttribute);
    if (password === null) return null;
  }
  const name = docs.map((d) => (d && typeof d === 'object' ? scalar((d as Doc).name) : null)).find((v) => v !== null) ?? '';
  return { user, password, displayName: name };
}

/** needsUserInfo tells whether the id-token claims lack a configured attribute. */
export function needsUserInfo(names: SipAttributeNames, claims: unknown): boolean {
  return [names.sipUserAttribute, names.sipPasswordAttribute].some((n) => n !== null && findClaim([claims], n) === null);
}
