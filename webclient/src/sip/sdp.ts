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
