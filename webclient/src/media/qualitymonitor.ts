// QualityMonitor polls a call's peer connection and reports a quality score
// per interval (voiceQualityMonitorEnabled). No DOM beyond the WebRTC API.
import { audioCounters, scoreBetween, type AudioCounters, type QualityScore, type Stat } from './quality';

/** The part of RTCPeerConnection the monitor uses. */
export interface StatsSource {
  getStats(): Promise<RTCStatsReport>;
}

export class QualityMonitor {
  readonly #pc: StatsSource;
  readonly #onScore: (q: QualityScore) => void;
  #prev: AudioCounters | null = null;
  #timer: ReturnType<typeof setInterval> | null;

  /** The monitor starts at once; a score comes every intervalMs, once audio flows. */
  constructor(pc: StatsSource, onScore: (q: QualityScore) => void, intervalMs = 2000) {
    this.#pc = pc;
    this.#onScore = onScore;
    this.#timer = setInterval(() => void this.poll(), intervalMs);
    void this.poll();
  }

  /** poll reads the statistics once and reports the interval since the last reading. */
  async poll(): Promise<void> {
    let report: RTCStatsReport;
    try {
      report = await this.#pc.getStats();
    } catch {
      return; // closed
    }
    if (this.#timer === null) return;
    const cur = audioCounters(report.values() as Iterable<Stat>);
    if (!cur) return;
    const score = this.#prev ? scoreBetween(this.#prev, cur, Date.now()) : null;
    this.#prev = cur;
    if (score) this.#onScore(score);
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }
}
