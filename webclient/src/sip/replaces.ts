// The Replaces header (RFC 3891): an INVITE that carries it takes the place
// of an existing dialog at the UA that receives it. The client sends one to
// rejoin a call after a page reload (restore.ts), and answers one that
// matches one of its calls (a rejoining peer, or a consult transfer's
// transferee; see phone.ts).

/** The identifiers of a dialog as one of its two ends sees it. */
export interface DialogId {
  callId: string;
  localTag: string;
  remoteTag: string;
}

/** The parsed value of a Replaces header. */
export interface Replaces {
  callId: string;
  /** The tag of the receiving UA (its local tag) in the dialog to replace. */
  toTag: string;
  /** The tag of the other end (the receiver's remote tag). */
  fromTag: string;
  earlyOnly: boolean;
}

// RFC 3261 token characters; Call-ID adds "word" characters such as @ : / ? < > [ ] { } " ( ).
const token = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const callIdWord = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}@]+$/;

/**
 * replacesValue builds the Replaces value that asks the far end of dialog
 * (seen from our side) to replace it: the far end compares to-tag with its
 * local tag, so to-tag is our remote tag and from-tag our local tag.
 */
export function replacesValue(dialog: DialogId): string {
  const { callId, localTag, remoteTag } = dialog;
  if (!callIdWord.test(callId)) throw new Error(`Replaces: Call-ID must be a SIP word, got ${JSON.stringify(callId)}`);
  if (!token.test(localTag) || !token.test(remoteTag)) {
    throw new Error(`Replaces: tags must be SIP tokens, got local ${JSON.stringify(localTag)} and remote ${JSON.stringify(remoteTag)}`);
  }
  return `${callId};to-tag=${remoteTag};from-tag=${localTag}`;
}

/** replacesHeader is the whole header line for extraHeaders. */
export function replacesHeader(dialog: DialogId): string {
  return `Replaces: ${replacesValue(dialog)}`;
}

/** parseReplaces reads a Replaces value; null when it is not one (RFC 3891 section 6.1). */
export function parseReplaces(value: string): Replaces | null {
  const [callId, ...params] = value.trim().split(';').map((p) => p.trim());
  if (!callId || !callIdWord.test(callId)) return null;
  let toTag: string | null = null;
  let fromTag: string | null = null;
  let earlyOnly = false;
  for (const p of params) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).trim().toLowerCase();
    const v = eq < 0 ? '' : p.slice(eq + 1).trim();
    if (name === 'to-tag' && token.test(v)) toTag = v;
    else if (name === 'from-tag' && token.test(v)) fromTag = v;
    else if (name === 'early-only' && eq < 0) earlyOnly = true;
  }
  if (toTag === null || fromTag === null) return null;
  return { callId, toTag, fromTag, earlyOnly };
}

/** replacesDialog tells whether r names dialog (as the receiver of r sees it). */
export function replacesDialog(r: Replaces, dialog: DialogId): boolean {
  return r.callId === dialog.callId && r.toTag === dialog.localTag && r.fromTag === dialog.remoteTag;
}

/**
 * sameParty tells whether two SIP URIs name the same user at the same host,
 * ignoring the scheme's case, parameters, headers and a display name: the
 * peer that sends the replacing INVITE is the one we talked to, rejoining.
 */
export function sameParty(a: string, b: string): boolean {
  const key = (u: string) => {
    const m = /^(?:[^<]*<)?\s*sips?:([^@;>?]+@)?([^;>?:]+)/i.exec(u.trim());
    return m ? `${decodeURIComponent(m[1] ?? '')}${m[2].toLowerCase()}` : null;
  };
  const ka = key(a);
  return ka !== null && ka === key(b);
}
