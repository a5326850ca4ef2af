// codecFilter: removes and reorders codecs in an SDP body, per media type.
// Codec names compare case-insensitively with the rtpmap encoding name
// ("opus", "PCMA", "VP8"...). Retransmission (rtx) payloads follow the codec
// they repair: removed with it, ordered right after it.

import type { CodecRules } from '../config/options';

export interface CodecFilterRules {
  audio: CodecRules;
  video: CodecRules;
}

interface Media {
  /** Index of the m= line in lines. */
  index: number;
  kind: string;
  payloads: string[];
  /** Payload type -> lower-cased encoding name. */
  names: Map<string, string>;
  /** rtx payload type -> payload type it repairs. */
  apt: Map<string, string>;
  end: number;
}

/** filterCodecs returns sdp with the rules applied; sdp is returned unchanged when no rule applies. */
export function filterCodecs(sdp: string, rules: CodecFilterRules): string {
  if (!hasRules(rules.audio) && !hasRules(rules.video)) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const trailing = lines.length > 0 && lines[lines.length - 1] === '' ? lines.pop() : undefined;
  const medias = sections(lines);
  const drop = new Set<number>();
  for (const m of medias) {
    const r = m.kind === 'audio' ? rules.audio : m.kind === 'video' ? rules.video : undefined;
    if (!r || !hasRules(r)) continue;
    const kept = order(m, r);
    if (kept.length === 0) continue; // removing every codec would leave an invalid m= line
    const removed = new Set(m.payloads.filter((p) => !kept.includes(p)));
    const parts = lines[m.index].split(' ');
    lines[m.index] = [...parts.slice(0, 3), ...kept].join(' ');
    for (let i = m.index + 1; i < m.end; i++) {
      const pt = attributePayload(lines[i]);
      if (pt !== null && removed.has(pt)) drop.add(i);
    }
  }
  const out = lines.filter((_, i) => !drop.has(i));
  if (trailing !== undefined) out.push(trailing);
  return out.join(eol);
}

function hasRules(r: CodecRules): boolean {
  return r.remove.length > 0 || r.priority.length > 0;
}

function sections(lines: string[]): Media[] {
  const medias: Media[] = [];
  let cur: Media | null = null;
  lines.forEach((line, i) => {
    if (line.startsWith('m=')) {
      if (cur) cur.end = i;
      const parts = line.slice(2).split(' ');
      cur = { index: i, kind: parts[0], payloads: parts.slice(3).filter(Boolean), names: new Map(), apt: new Map(), end: lines.length };
      medias.push(cur);
      return;
    }
    if (!cur) return;
    const rtpmap = /^a=rtpmap:(\d+) ([^/\s]+)/.exec(line);
    if (rtpmap) cur.names.set(rtpmap[1], rtpmap[2].toLowerCase());
    const apt = /^a=fmtp:(\d+) .*\bapt=(\d+)/.exec(line);
    if (apt) cur.apt.set(apt[1], apt[2]);
  });
  return medias;
}

// Static payload types carry no rtpmap in some offers (RFC 3551).
const staticNames: Record<string, string> = { '0': 'pcmu', '8': 'pcma', '9': 'g722', '18': 'g729', '13': 'cn' };

function nameOf(m: Media, pt: string): string {
  return m.names.get(pt) ?? staticNames[pt] ?? '';
}

function order(m: Media, r: CodecRules): string[] {
  const remove = new Set(r.remove);
  const primaries = m.payloads.filter((pt) => !m.apt.has(pt) || nameOf(m, pt) !== 'rtx');
  const kept = primaries.filter((pt) => !remove.has(nameOf(m, pt)));
  const rank = (pt: string) => {
    const i = r.priority.indexOf(nameOf(m, pt));
    return i < 0 ? r.priority.length : i;
  };
  // Array.prototype.sort is stable: codecs of equal rank keep their order.
  kept.sort((a, b) => rank(a) - rank(b));
  const out: string[] = [];
  for (const pt of kept) {
    out.push(pt);
    for (const [rtx, base] of m.apt) if (base === pt && nameOf(m, rtx) === 'rtx') out.push(rtx);
  }
  return out;
}

function attributePayload(line: string): string | null {
  const m = /^a=(?:rtpmap|fmtp|rtcp-fb):(\d+)[ \r]/.exec(line + ' ');
  return m ? m[1] : null;
}

// Interop rules for peers that are not browsers (SIP phones, PBXs, SBCs).
// Each takes and returns SDP text; none touches a peer connection.

/** RemoteContext is what a remote description is judged against: the last negotiated descriptions, if any. */
export interface RemoteContext {
  /** The current (negotiated) local description, null before the first answer. */
  local: string | null;
  /** The current (negotiated) remote description, null before the first answer. */
  remote: string | null;
}

type Role = 'active' | 'passive';

/** setupOf returns the first a=setup value of sdp (media or session level), or null. */
export function setupOf(sdp: string | null): string | null {
  if (!sdp) return null;
  const m = /^a=setup:(\S+)/m.exec(sdp);
  return m ? m[1].toLowerCase() : null;
}

function isRole(v: string | null): v is Role {
  return v === 'active' || v === 'passive';
}

/**
 * answerSetupRole is the DTLS role to read into an answer that says
 * a=setup:actpass. RFC 5763 forbids actpass in an answer, but real peers
 * send it (a re-INVITE answer from a peer that reuses its offer template),
 * and browsers refuse the whole answer. The peer keeps the role it has now
 * (its last answer's, or the opposite of ours), so that the DTLS association
 * goes on; before any association the peer is taken as active (the usual
 * answerer role, RFC 5763 section 5), so that the browser waits as server.
 */
export function answerSetupRole(ctx: RemoteContext): Role {
  const theirs = setupOf(ctx.remote);
  if (isRole(theirs)) return theirs;
  const ours = setupOf(ctx.local);
  if (isRole(ours)) return ours === 'active' ? 'passive' : 'active';
  return 'active';
}

/** fixAnswerSetup rewrites a=setup:actpass in a remote answer to the role answerSetupRole picks; offers pass unchanged. */
export function fixAnswerSetup(sdp: string, type: string, ctx: RemoteContext): string {
  if (type !== 'answer' || !/^a=setup:actpass\s*$/im.test(sdp)) return sdp;
  const role = answerSetupRole(ctx);
  return sdp.replace(/^a=setup:actpass(?=\s*$)/gim, `a=setup:${role}`);
}

/** hasBundle tells whether sdp groups its media with a=group:BUNDLE (RFC 9143). */
export function hasBundle(sdp: string): boolean {
  return /^a=group:BUNDLE(\s|$)/m.test(sdp);
}

/**
 * telephoneEvents lists the clock rates of the telephone-event payloads
 * (RFC 4733) of the first audio section: [8000] for a peer that offers only
 * 8 kHz events, [] when it offers none (DTMF must then go by SIP INFO).
 */
export function telephoneEvents(sdp: string): number[] {
  const lines = sdp.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('m=audio'));
  if (start < 0) return [];
  const m = lines[start].split(' ').slice(3);
  const rates: number[] = [];
  for (let i = start + 1; i < lines.length && !lines[i].startsWith('m='); i++) {
    const r = /^a=rtpmap:(\d+) telephone-event\/(\d+)/i.exec(lines[i]);
    if (r && m.includes(r[1])) rates.push(Number(r[2]));
  }
  return rates;
}

/**
 * matchEventClock reorders the first audio section of a remote description
 * so that its first codec runs at a clock rate its telephone-event has. RFC
 * 4733 events share the clock of the audio they interrupt; a peer that
 * offers only 8 kHz telephone-event beside opus (48 kHz) gets events it
 * cannot read when opus is sent (baresip drops them). The 8 kHz codecs
 * (G722, PCMU, PCMA: RTP clock 8000) then go first, in their order: the
 * browser sends the first codec of a remote answer, and answers an offer in
 * its order. A peer whose events match its first codec, or that has no
 * telephone-event, is left alone.
 */
export function matchEventClock(sdp: string): string {
  const rates = telephoneEvents(sdp);
  if (rates.length === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith('m=audio'));
  const parts = lines[at].split(' ');
  const payloads = parts.slice(3).filter(Boolean);
  const clock = new Map<string, number>(Object.entries(staticClocks));
  const names = new Map<string, string>();
  for (let i = at + 1; i < lines.length && !lines[i].startsWith('m='); i++) {
    const r = /^a=rtpmap:(\d+) ([^/\s]+)\/(\d+)/.exec(lines[i]);
    if (r) {
      clock.set(r[1], Number(r[3]));
      names.set(r[1], r[2].toLowerCase());
    }
  }
  const media = payloads.filter((pt) => !['telephone-event', 'cn', 'red', 'rtx'].includes(names.get(pt) ?? ''));
  const first = media[0];
  if (first === undefined || rates.includes(clock.get(first) ?? -1)) return sdp;
  const fits = (pt: string) => media.includes(pt) && rates.includes(clock.get(pt) ?? -1);
  if (!payloads.some(fits)) return sdp;
  lines[at] = [...parts.slice(0, 3), ...payloads.filter(fits), ...payloads.filter((pt) => !fits(pt))].join(' ');
  return lines.join(eol);
}

// RTP clock rates of static payload types offered without rtpmap (RFC 3551).
const staticClocks: Record<string, number> = { '0': 8000, '8': 8000, '9': 8000, '18': 8000 };

/** RemoteRules says which optional rules apply. */
export interface RemoteRules {
  /** DTMF goes in the media (dtmfUseWebRTC): matchEventClock applies. */
  dtmfInMedia: boolean;
}

/**
 * acceptRemote applies the interop rules to a description from the far end
 * before the browser sees it: an answer's actpass becomes a role, codecs
 * follow the telephone-event clock when DTMF goes in the media. Bundling
 * needs no rule: the peer connection's bundlePolicy "balanced" accepts peers
 * that do not bundle and bundles with those that do. Peers without rtcp-mux
 * get none: browsers only multiplex (rtcpMuxPolicy "require"), and a peer
 * made to believe otherwise waits for ICE on an RTCP component the browser
 * never checks (baresip 1.0), so the call would connect without audio; it
 * fails instead, as media refused.
 */
export function acceptRemote(sdp: string, type: string, ctx: RemoteContext, rules: RemoteRules = { dtmfInMedia: false }): string {
  const out = fixAnswerSetup(sdp, type, ctx);
  return rules.dtmfInMedia ? matchEventClock(out) : out;
}
