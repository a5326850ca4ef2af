// modes.cache_register_auth_mode: reuse the digest credentials of the last
// authenticated REGISTER for the refreshes, so that the SBC need not
// challenge every refresh. The realm, nonce, opaque and qop of the last
// Authorization header the SIP stack sent are kept; each later REGISTER that
// goes out without credentials gets a fresh digest response (RFC 2617) over
// that nonce with the next nonce count. If the SBC no longer accepts the
// nonce it answers 401 and the stack authenticates as usual, which refreshes
// the cache.

export type MD5 = (s: string) => string;

interface Cached {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  opaque: string | null;
  qop: string | null;
  algorithm: string | null;
  nc: number;
}

/** parseDigest reads the parameters of a Digest Authorization header value. */
export function parseDigest(value: string): Record<string, string> | null {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m) return null;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  let p: RegExpExecArray | null;
  while ((p = re.exec(m[1])) !== null) params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  return params;
}

function splitHead(message: string): { head: string[]; rest: string } | null {
  const end = message.indexOf('\r\n\r\n');
  if (end < 0) return null;
  return { head: message.slice(0, end).split('\r\n'), rest: message.slice(end) };
}

export class RegisterAuthCache {
  #cached: Cached | null = null;
  readonly #password: string;
  readonly #md5: MD5;
  readonly #cnonce: () => string;

  constructor(password: string, md5: MD5, cnonce: () => string) {
    this.#password = password;
    this.#md5 = md5;
    this.#cnonce = cnonce;
  }

  /** outgoing is the socket hook: it learns from and completes REGISTER requests. */
  outgoing = (message: string): string => {
    if (!message.startsWith('REGISTER ')) return message;
    const parts = splitHead(message);
    if (!parts) return message;
    const auth = parts.head.find((h) => /^authorization\s*:/i.test(h));
    if (auth) {
      this.#learn(auth.slice(auth.indexOf(':') + 1));
      return message;
    }
    const header = this.#header();
    if (!header) return message;
    return [...parts.head, header].join('\r\n') + parts.rest;
  };

  /** forget drops the cached credentials (sign-out, new account). */
  forget(): void {
    this.#cached = null;
  }

  #learn(value: string): void {
    const d = parseDigest(value);
    if (!d || !d.username || !d.realm || !d.nonce || !d.uri) return;
    const nc = d.nc ? parseInt(d.nc, 16) : 0;
    this.#cached = {
      username: d.username, realm: d.realm, nonce: d.nonce, uri: d.uri,
      opaque: d.opaque ?? null, qop: d.qop ?? null, algorithm: d.algorithm ?? null,
      nc: Number.isFinite(nc) ? nc : 0,
    };
  }

  #header(): string | null {
    const c = this.#cached;
    if (!c || (c.algorithm && c.algorithm.toUpperCase() !== 'MD5')) return null;
    const ha1 = this.#md5(`${c.username}:${c.realm}:${this.#password}`);
    const ha2 = this.#md5(`REGISTER:${c.uri}`);
    const fields = [`Digest algorithm=MD5`, `username="${c.username}"`, `realm="${c.realm}"`, `nonce="${c.nonce}"`, `uri="${c.uri}"`];
    if (c.qop && /\bauth\b/.test(c.qop)) {
      c.nc += 1;
      const nc = c.nc.toString(16).padStart(8, '0');
      const cnonce = this.#cnonce();
      fields.push(`response="${this.#md5(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
      if (c.opaque !== null) fields.push(`opaque="${c.opaque}"`);
      fields.push(`qop=auth`, `cnonce="${cnonce}"`, `nc=${nc}`);
    } else {
      fields.push(`response="${this.#md5(`${ha1}:${c.nonce}:${ha2}`)}"`);
      if (c.opaque !== null) fields.push(`opaque="${c.opaque}"`);
    }
    return `Authorization: ${fields.join(', ')}`;
  }
}
