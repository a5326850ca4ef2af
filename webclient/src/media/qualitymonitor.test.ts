import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QualityScore, Stat } from './quality';
import { QualityMonitor, type StatsSource } from './qualitymonitor';

// A stats source playing back getStats() readings: the browser's part, which
// Vitest has none of.
function source(readings: [received: number, lost: number][]): StatsSource {
  let i = 0;
  return {
    getStats: async () => {
      const [received, lost] = readings[Math.min(i++, readings.length - 1)];
      const stats: Stat[] = [
        { id: 'CO', type: 'codec', mimeType: 'audio/PCMU' },
        { id: 'IT', type: 'inbound-rtp', kind: 'audio', codecId: 'CO', packetsReceived: received, packetsLost: lost, jitter: 0 },
      ];
      return new Map(stats.map((s) => [s.id, s])) as unknown as RTCStatsReport;
    },
  };
}

describe('QualityMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('scores each interval from the second reading on, and stops', async () => {
    const scores: QualityScore[] = [];
    const m = new QualityMonitor(source([[0, 0], [100, 0], [150, 50], [150, 50], [250, 50]]), (q) => scores.push(q), 2000);
    await vi.advanceTimersByTimeAsync(0);
    expect(scores).toEqual([]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(scores.map((s) => [s.lossPct, s.codec])).toEqual([[0, 'pcmu']]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(scores[1].lossPct).toBe(50);
    expect(scores[1].mos).toBeLessThan(scores[0].mos);
    // No packet in the interval (on hold): no score.
    await vi.advanceTimersByTimeAsync(2000);
    expect(scores).toHaveLength(2);
    m.stop();
    await vi.advanceTimersByTimeAsync(10000);
    expect(scores).toHaveLength(2);
  });
});
