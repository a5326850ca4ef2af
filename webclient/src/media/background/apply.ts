// Puts the chosen background behind the camera of every call that sends
// video: the sender's camera track is swapped for the processed one
// (RTCRtpSender.replaceTrack, no renegotiation), and back when the agent
// chooses none. The pipeline (./effect and the model) is imported only when
// a call sends video with a background chosen.
import type { Call } from '../../sip/call';
import { imageURL, readChoice, readImages } from './choice';
import { brandImageCount, brandImageURL } from './config';
import type { Backdrop, Processor } from './effect';

interface Applied {
  sender: RTCRtpSender;
  /** The camera's own track. */
  raw: MediaStreamTrack;
  proc: Processor | null;
  released: boolean;
  /** Changes to one call run one after the other. */
  busy: Promise<void>;
}

function videoSender(call: Call): RTCRtpSender | null {
  if (call.snapshot.status !== 'connected') return null;
  return call.session.connection?.getSenders().find((s) => s.track?.kind === 'video' && s.track.readyState === 'live') ?? null;
}

export class BackgroundApplier {
  readonly #storage: Storage | null;
  readonly #changed: () => void;
  readonly #applied = new Map<Call, Applied>();

  /** changed is called when a call's local preview changed. */
  constructor(storage: Storage | null, changed: () => void) {
    this.#storage = storage;
    this.#changed = changed;
  }

  /** backdrop is what the stored choice puts behind the agent, or null for none. */
  backdrop(): Backdrop | null {
    const c = readChoice(this.#storage, brandImageCount);
    if (c.kind === 'none') return null;
    if (c.kind === 'blur') return { kind: 'blur' };
    const url = imageURL(c, readImages(this.#storage), (n) => new URL(brandImageURL(n), document.baseURI).href);
    return url ? { kind: 'image', url } : null;
  }

  /** sync starts on calls that began sending video and lets go of ended ones. */
  sync(calls: readonly Call[]): void {
    for (const call of calls) {
      if (call.snapshot.status === 'ended') {
        this.#release(call);
        continue;
      }
      if (this.#applied.has(call)) continue;
      const sender = videoSender(call);
      if (!sender?.track || !this.backdrop()) continue;
      const a: Applied = { sender, raw: sender.track, proc: null, released: false, busy: Promise.resolve() };
      this.#applied.set(call, a);
      this.#queue(a, () => this.#apply(call, a));
    }
    for (const call of this.#applied.keys()) if (!calls.includes(call)) this.#release(call);
  }

  /** update applies a new choice to every call that sends video. */
  update(): void {
    for (const [call, a] of this.#applied) this.#queue(a, () => this.#apply(call, a));
  }

  #queue(a: Applied, fn: () => Promise<void>): void {
    a.busy = a.busy.then(fn).catch((err: unknown) => console.error('virtual background', err));
  }

  async #apply(call: Call, a: Applied): Promise<void> {
    if (a.released) return;
    const b = this.backdrop();
    if (!b) {
      if (!a.proc) return;
      await a.sender.replaceTrack(a.raw);
      a.proc.stop();
      a.proc = null;
      this.#preview(call, a.raw);
      return;
    }
    if (a.proc) return a.proc.setBackdrop(b);
    const { createProcessor } = await import('./effect');
    const proc = await createProcessor(a.raw, b);
    if (a.released) return proc.stop();
    a.proc = proc;
    await a.sender.replaceTrack(proc.track);
    this.#preview(call, proc.track);
  }

  #preview(call: Call, track: MediaStreamTrack): void {
    call.localVideoStream = new MediaStream([track]);
    this.#changed();
  }

  #release(call: Call): void {
    const a = this.#applied.get(call);
    if (!a) return;
    this.#applied.delete(call);
    a.released = true;
    this.#queue(a, async () => {
      if (!a.proc) return;
      a.proc.stop();
      a.raw.stop();
    });
  }
}
