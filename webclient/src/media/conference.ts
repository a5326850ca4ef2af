// A three-way conference mixed in the agent's browser: each of two calls
// sends the agent's microphone plus the other call's far-end audio (Web
// Audio), and the agent hears both far ends (each call's own audio element).
// No server-side bridge is needed; the far ends see an ordinary call.
import type { Call } from '../sip/call';
import { Emitter } from '../sip/emitter';

interface Leg {
  call: Call;
  sender: RTCRtpSender;
  /** The microphone track the call sent before the conference. */
  mic: MediaStreamTrack;
  mixed: MediaStreamTrack;
  micGain: GainNode;
  off: () => void;
}

/** canConference tells whether two calls can be joined: both connected, neither transferring. */
export function canConference(a: Call, b: Call): boolean {
  return a !== b && [a, b].every((c) => c.snapshot.status === 'connected' && !c.snapshot.transferring && !!c.session.connection);
}

/** audioSender is the sender of a call's microphone, if any. */
function audioSender(call: Call): RTCRtpSender | null {
  return call.session.connection?.getSenders().find((s) => s.track?.kind === 'audio') ?? null;
}

export class Conference extends Emitter<{ change: boolean }> {
  #ctx: AudioContext | null = null;
  #legs: Leg[] = [];
  #starting = false;

  /** active tells whether the conference runs. */
  get active(): boolean {
    return this.#legs.length > 0;
  }

  /** includes tells whether call is one of the conference's two calls. */
  includes(call: Call): boolean {
    return this.#legs.some((l) => l.call === call);
  }

  /**
   * start joins a and b: both are resumed, and each one's microphone track
   * is replaced by a mix of the microphone and the other's far-end audio.
   * It resolves false when the calls cannot be joined.
   */
  async start(a: Call, b: Call): Promise<boolean> {
    if (this.active || this.#starting || !canConference(a, b)) return false;
    this.#starting = true;
    try {
      for (const c of [a, b]) if (c.snapshot.localHold) c.unhold();
      // A hold still under way cannot be released yet: try again later.
      if (a.snapshot.localHold || b.snapshot.localHold) return false;
      const ctx = new AudioContext();
      this.#ctx = ctx;
      if (ctx.state === 'suspended') await ctx.resume();
      for (const [call, other] of [[a, b], [b, a]] as const) {
        const sender = audioSender(call);
        const mic = sender?.track;
        const far = other.remoteStream?.getAudioTracks() ?? [];
        if (!sender || !mic || far.length === 0) throw new Error(`call ${call.snapshot.id} has no audio to mix`);
        const dest = ctx.createMediaStreamDestination();
        const micGain = ctx.createGain();
        micGain.gain.value = call.snapshot.muted ? 0 : 1;
        ctx.createMediaStreamSource(new MediaStream([mic])).connect(micGain).connect(dest);
        ctx.createMediaStreamSource(new MediaStream(far)).connect(dest);
        const [mixed] = dest.stream.getAudioTracks();
        const leg: Leg = { call, sender, mic, mixed, micGain, off: () => {} };
        this.#legs.push(leg);
        await sender.replaceTrack(mixed);
        leg.off = call.on('change', () => this.#follow(leg));
        this.#follow(leg);
      }
      this.emit('change', true);
      return true;
    } catch (err) {
      console.warn('starting the conference', err);
      this.stop();
      return false;
    } finally {
      this.#starting = false;
    }
  }

  // Mute in a conference silences the agent's microphone only (the stack
  // disables the track it sends, which is the mix); hold or an end of
  // either call ends the conference.
  #follow(leg: Leg): void {
    const s = leg.call.snapshot;
    if (s.status !== 'connected' || s.localHold || s.transferring) {
      this.stop();
      return;
    }
    leg.micGain.gain.value = s.muted ? 0 : 1;
    leg.mic.enabled = true;
    leg.mixed.enabled = true;
  }

  /** stop gives each call its microphone back. */
  stop(): void {
    const legs = this.#legs;
    if (legs.length === 0 && !this.#ctx) return;
    this.#legs = [];
    for (const l of legs) {
      l.off();
      l.mixed.stop();
      if (!l.call.session.isEnded() && l.sender.track === l.mixed) {
        l.mic.enabled = !l.call.snapshot.muted && !l.call.snapshot.localHold;
        l.sender.replaceTrack(l.mic).catch((err: unknown) => console.warn('restoring the microphone', err));
      }
    }
    void this.#ctx?.close().catch(() => {});
    this.#ctx = null;
    if (legs.length) this.emit('change', false);
  }
}
