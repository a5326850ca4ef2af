import { describe, expect, it } from 'vitest';
import {
  audioCounters, codecImpairments, delayImpairment, lossImpairment, mosFromR, oneWayDelay, qualityLevel, rFactor, scoreBetween, type Stat,
} from './quality';

describe('E-model', () => {
  it.each([
    // G.107 Annex B, figure B.1 / table B.1 points.
    [93.2, 4.41],
    [90, 4.34],
    [80, 4.02],
    [70, 3.6],
    [60, 3.1],
    [50, 2.58],
    [0, 1],
    [-5, 1],
    [100, 4.5],
  ])('R %d is MOS %d', (r, mos) => {
    expect(mosFromR(r)).toBeCloseTo(mos, 2);
  });

  it('rates delay by the simplified Id', () => {
    expect(delayImpairment(0)).toBe(0);
    expect(delayImpairment(100)).toBeCloseTo(2.4, 6);
    // Above 177.3 ms the second term adds 0.11 per ms.
    expect(delayImpairment(277.3)).toBeCloseTo(0.024 * 277.3 + 11, 6);
  });

  it('rates loss by Ie,eff of G.107 with the codec Bpl', () => {
    expect(lossImpairment(0, codecImpairments.pcmu)).toBe(0);
    expect(lossImpairment(5, codecImpairments.pcmu)).toBeCloseTo((95 * 5) / (5 + 25.1), 6); // 15.78
    expect(lossImpairment(5, codecImpairments.opus)).toBeCloseTo((95 * 5) / (5 + 30), 6);
    expect(lossImpairment(100, codecImpairments.pcmu)).toBeCloseTo(95 * 100 / 125.1, 6);
  });

  it('adds half the round trip, twice the jitter and the framing for the one-way delay', () => {
    expect(oneWayDelay({ rttMs: 100, jitterMs: 10, lossPct: 0, codec: 'opus' })).toBeCloseTo(50 + 20 + 26.5, 6);
    expect(oneWayDelay({ rttMs: null, jitterMs: 0, lossPct: 0, codec: 'g722' })).toBe(20);
  });

  it('gives a clean LAN call about 4.4 and a lossy one less', () => {
    const clean = mosFromR(rFactor({ rttMs: 1, jitterMs: 1, lossPct: 0, codec: 'opus' }));
    const lossy = mosFromR(rFactor({ rttMs: 1, jitterMs: 1, lossPct: 20, codec: 'opus' }));
    const far = mosFromR(rFactor({ rttMs: 600, jitterMs: 30, lossPct: 0, codec: 'pcmu' }));
    expect(clean).toBeGreaterThan(4.35);
    expect(clean).toBeLessThanOrEqual(4.41);
    // R = 93.2 - Id(29 ms) - 95*20/50 = 54.5: MOS about 2.8.
    expect(lossy).toBeCloseTo(mosFromR(93.2 - 0.024 * 29 - 38), 6);
    expect(lossy).toBeLessThan(3);
    // d = 300 + 60 + 20 = 380 ms: Id = 9.12 + 22.297.
    expect(far).toBeCloseTo(mosFromR(93.2 - 0.024 * 380 - 0.11 * (380 - 177.3)), 6);
    expect([qualityLevel(clean), qualityLevel(3.5), qualityLevel(lossy)]).toEqual(['good', 'fair', 'poor']);
  });
});

// The shape of Chromium's RTCStatsReport entries (only the fields read).
const report = (received: number, lost: number, extra: Stat[] = []): Stat[] => [
  { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
  { id: 'CP1', type: 'candidate-pair', currentRoundTripTime: 0.04, nominated: true, state: 'succeeded' },
  { id: 'CO1', type: 'codec', mimeType: 'audio/opus' },
  { id: 'IT1', type: 'inbound-rtp', kind: 'audio', codecId: 'CO1', packetsReceived: received, packetsLost: lost, jitter: 0.005 },
  { id: 'IT2', type: 'inbound-rtp', kind: 'video', packetsReceived: 999, packetsLost: 999, jitter: 1 },
  ...extra,
];

describe('stats', () => {
  it('reads the audio counters, the selected pair RTT and the codec', () => {
    expect(audioCounters(report(100, 2))).toEqual({ packetsReceived: 100, packetsLost: 2, jitter: 0.005, rtt: 0.04, codec: 'opus' });
    expect(audioCounters(<Stat[]>[{ id: 'x', type: 'outbound-rtp', kind: 'audio' }])).toBeNull();
  });

  it('falls back to the RTCP round trip without a selected pair', () => {
    const c = audioCounters(<Stat[]>[
      { id: 'IT1', type: 'inbound-rtp', kind: 'audio', packetsReceived: 1, packetsLost: 0, jitter: 0 },
      { id: 'RI1', type: 'remote-inbound-rtp', kind: 'audio', roundTripTime: 0.12 },
    ]);
    expect(c?.rtt).toBe(0.12);
    expect(c?.codec).toBe('');
  });

  it('scores the loss of the interval, not since the start', () => {
    const a = audioCounters(report(1000, 0))!;
    const b = audioCounters(report(1080, 20))!;
    const s = scoreBetween(a, b, 5)!;
    expect(s.lossPct).toBeCloseTo(20, 6);
    expect(s.rttMs).toBeCloseTo(40, 6);
    expect(s.jitterMs).toBeCloseTo(5, 6);
    expect(s.at).toBe(5);
    expect(s.mos).toBeCloseTo(mosFromR(rFactor(s)), 9);
    expect(scoreBetween(b, audioCounters(report(1180, 20))!, 6)!.lossPct).toBe(0);
    // Nothing expected (on hold): no score.
    expect(scoreBetween(b, b, 7)).toBeNull();
  });
});
