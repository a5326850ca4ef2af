// Call quality (voiceQualityMonitorEnabled): a MOS estimate from WebRTC
// statistics with the E-model of ITU-T G.107, simplified as is usual for
// VoIP monitoring (Cole & Rosenbluth, "Voice over IP performance monitoring",
// 2001): default values for everything a browser cannot measure (noise,
// loudness, echo), so R = 93.2 - Id - Ie,eff, with
//   Id      = 0.024 d + 0.11 (d - 177.3) H(d - 177.3), d the one-way delay in ms
//   Ie,eff  = Ie + (95 - Ie) Ppl / (Ppl + Bpl)        (G.107 7.2, random loss: BurstR = 1)
//   MOS     = 1 + 0.035 R + R (R - 60) (100 - R) 7e-6  (G.107 Annex B)
// Pure functions, no DOM: the monitor feeds them RTCPeerConnection.getStats().

/** Codec impairment: Ie and the packet-loss robustness Bpl (G.113 Appendix I), and its framing delay in ms. */
export interface CodecImpairment {
  ie: number;
  bpl: number;
  delayMs: number;
}

/**
 * G.711 with packet loss concealment (browsers conceal loss for every codec):
 * Ie 0, Bpl 25.1 (G.113 Appendix I), 20 ms frames. G.113 lists no Opus values
 * on the narrowband scale; Opus at WebRTC's rates is rated no worse than G.711
 * (Ie 0) and conceals loss better (Bpl 30, provisional), with 20 ms frames
 * and 6.5 ms look-ahead.
 */
export const codecImpairments: Readonly<Record<string, CodecImpairment>> = {
  pcmu: { ie: 0, bpl: 25.1, delayMs: 20 },
  pcma: { ie: 0, bpl: 25.1, delayMs: 20 },
  opus: { ie: 0, bpl: 30, delayMs: 26.5 },
};

/** What the E-model needs: measured over one interval. */
export interface QualityInput {
  /** Round-trip time in ms; null when not measured yet (taken as 0). */
  rttMs: number | null;
  /** Interarrival jitter in ms. */
  jitterMs: number;
  /** Packets lost in percent, 0 to 100. */
  lossPct: number;
  /** Lower-case codec name ("opus", "pcmu"); an unknown one is rated as G.711. */
  codec: string;
}

/**
 * oneWayDelay estimates the mouth-to-ear delay: half the round trip, a jitter
 * buffer twice the jitter, and the codec's framing.
 */
export function oneWayDelay(q: QualityInput): number {
  const codec = codecImpairments[q.codec] ?? codecImpairments.pcmu;
  return Math.max(0, q.rttMs ?? 0) / 2 + 2 * Math.max(0, q.jitterMs) + codec.delayMs;
}

/** delayImpairment is Id for a one-way delay in ms. */
export function delayImpairment(d: number): number {
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** lossImpairment is Ie,eff for a loss in percent (random loss). */
export function lossImpairment(lossPct: number, codec: CodecImpairment): number {
  const ppl = Math.min(100, Math.max(0, lossPct));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl + codec.bpl);
}

/** rFactor is the transmission rating R, 0 to 100. */
export function rFactor(q: QualityInput): number {
  const codec = codecImpairments[q.codec] ?? codecImpairments.pcmu;
  const r = 93.2 - delayImpairment(oneWayDelay(q)) - lossImpairment(q.lossPct, codec);
  return Math.min(100, Math.max(0, r));
}

/** mosFromR maps R to the MOS scale, 1 to 4.5 (G.107 Annex B). */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

export type QualityLevel = 'good' | 'fair' | 'poor';

/** qualityLevel words a MOS: good from 4.0 (R about 80), poor below 3.1 (R about 60). */
export function qualityLevel(mos: number): QualityLevel {
  return mos >= 4 ? 'good' : mos >= 3.1 ? 'fair' : 'poor';
}

/** A score of one interval, as the call carries it. */
export interface QualityScore extends QualityInput {
  r: number;
  mos: number;
  /** When it was measured (ms since epoch). */
  at: number;
}

/** The received-audio counters of one getStats() call. */
export interface AudioCounters {
  packetsReceived: number;
  packetsLost: number;
  /** Seconds, as getStats gives it. */
  jitter: number;
  /** Seconds; null when not measured yet. */
  rtt: number | null;
  codec: string;
}

/** One entry of an RTCStatsReport, as far as it is read. */
export type Stat = Record<string, unknown> & { type: string; id: string };
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * audioCounters reads the inbound audio RTP stream of a stats report, the
 * round trip of the selected candidate pair (else RTCP's), and the codec.
 * null when no audio is received yet.
 */
export function audioCounters(report: Iterable<Stat>): AudioCounters | null {
  const stats = [...report];
  const byId = new Map(stats.map((s) => [s.id, s]));
  const inbound = stats.find((s) => s.type === 'inbound-rtp' && (s.kind ?? s.mediaType) === 'audio');
  if (!inbound) return null;
  const transport = stats.find((s) => s.type === 'transport');
  const pair = (transport && byId.get(String(transport.selectedCandidatePairId)))
    ?? stats.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
  const remote = stats.find((s) => s.type === 'remote-inbound-rtp' && (s.kind ?? s.mediaType) === 'audio');
  const codec = byId.get(String(inbound.codecId));
  const mime = typeof codec?.mimeType === 'string' ? codec.mimeType : '';
  return {
    packetsReceived: num(inbound.packetsReceived) ?? 0,
    packetsLost: num(inbound.packetsLost) ?? 0,
    jitter: num(inbound.jitter) ?? 0,
    rtt: num(pair?.currentRoundTripTime) ?? num(remote?.roundTripTime),
    codec: mime.replace(/^audio\//i, '').toLowerCase(),
  };
}

/**
 * scoreBetween rates the interval between two readings of the counters.
 * null when no packet was expected in between (on hold, or not started).
 */
export function scoreBetween(prev: AudioCounters | null, cur: AudioCounters, at: number): QualityScore | null {
  const received = cur.packetsReceived - (prev?.packetsReceived ?? 0);
  const lost = Math.max(0, cur.packetsLost - (prev?.packetsLost ?? 0));
  if (received + lost <= 0) return null;
  const input: QualityInput = {
    rttMs: cur.rtt === null ? null : cur.rtt * 1000,
    jitterMs: cur.jitter * 1000,
    lossPct: (100 * lost) / (received + lost),
    codec: cur.codec,
  };
  const r = rFactor(input);
  return { ...input, r, mos: mosFromR(r), at };
}
