// Call tones from sounds/ (brand-overridable). Which looping tone plays is a
// function of the calls alone (desiredTone); one-shot tones mark call ends.
import type { CallSnapshot } from '../sip/call';

export type LoopTone = 'ringing' | 'call-waiting' | 'ringback';
export type OneShotTone = 'busy' | 'call-ended' | 'error';
export type Tone = LoopTone | OneShotTone;

/** desiredTone is the looping tone the calls ask for, or null for silence. */
export function desiredTone(calls: readonly CallSnapshot[]): LoopTone | null {
  const live = calls.filter((c) => c.status !== 'ended');
  if (live.some((c) => c.status === 'incoming')) {
    return live.some((c) => c.status !== 'incoming') ? 'call-waiting' : 'ringing';
  }
  // A call rejoining after a page reload (restoreCall) is not a new call: no ring-back.
  if (live.some((c) => c.direction === 'outgoing' && c.status === 'ringing' && !c.earlyMedia && !c.restore)) return 'ringback';
  return null;
}

/** endTone is the tone that marks how a call ended. */
export function endTone(call: CallSnapshot): OneShotTone | null {
  switch (call.endReason) {
    case 'busy':
    case 'rejected':
      return call.direction === 'outgoing' ? 'busy' : 'call-ended';
    case 'failed':
      return 'error';
    case 'canceled':
      // A caller giving up on an unanswered incoming call is not worth a tone.
      return call.direction === 'incoming' ? null : 'call-ended';
    default:
      return 'call-ended';
  }
}

type SinkAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };

/** TonePlayer plays tones on the speaker, and the ring tone on the ringer output. */
export class TonePlayer {
  #loop: { tone: LoopTone; el: SinkAudio } | null = null;
  #speaker: string | null = null;
  #ringer: string | null = null;
  /** Set when the browser refused to play a tone (auto-play policy). */
  onBlocked: () => void = () => {};

  setDevices(speaker: string | null, ringer: string | null): void {
    this.#speaker = speaker;
    this.#ringer = ringer;
  }

  #audio(tone: Tone, loop: boolean): SinkAudio {
    const el: SinkAudio = new Audio(`sounds/${tone}.wav`);
    el.loop = loop;
    const sink = tone === 'ringing' || tone === 'call-waiting' ? this.#ringer ?? this.#speaker : this.#speaker;
    if (sink && el.setSinkId) el.setSinkId(sink).catch((err: unknown) => console.warn('output device', err));
    return el;
  }

  #play(el: SinkAudio): void {
    el.play().catch((err: unknown) => {
      if (err instanceof DOMException && err.name === 'NotAllowedError') this.onBlocked();
    });
  }

  /** loop makes tone the looping tone (null stops it). */
  loop(tone: LoopTone | null): void {
    if (this.#loop?.tone === tone) return;
    if (this.#loop) {
      this.#loop.el.pause();
      this.#loop = null;
    }
    if (tone) {
      const el = this.#audio(tone, true);
      this.#loop = { tone, el };
      this.#play(el);
    }
  }

  /** resume retries the looping tone after a user gesture allowed sound. */
  resume(): void {
    if (this.#loop) this.#play(this.#loop.el);
  }

  once(tone: OneShotTone): void {
    this.#play(this.#audio(tone, false));
  }

  /** probe tries to play silently; it reports whether auto-play is allowed. */
  async probe(): Promise<boolean> {
    const el = this.#audio('call-ended', false);
    el.volume = 0;
    try {
      await el.play();
      el.pause();
      return true;
    } catch (err) {
      return !(err instanceof DOMException && err.name === 'NotAllowedError');
    }
  }
}
