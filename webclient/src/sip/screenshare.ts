// Screen sharing during a call (isScreenSharingEnabled,
// isCrossScreenSharingAllowed): a screen or window from getDisplayMedia is
// sent as a video stream of its own, added by re-INVITE and marked
// "a=content:slides" (RFC 4796) so that the far side tells it from a camera.
// Stopping sets that stream inactive by re-INVITE. The far side's marked,
// active stream is shown as its shared screen. While the far side shares,
// our own sharing needs isCrossScreenSharingAllowed. No DOM beyond WebRTC.
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { Direction } from './video';

export interface ScreenState {
  /** We share a screen or window. */
  local: boolean;
  /** The far side shares one. */
  remote: boolean;
}

/** What one m-section of an SDP body says. */
interface Section {
  kind: string;
  port: number;
  mid: string | null;
  direction: Direction;
  slides: boolean;
}

/** sections reads the m-sections of an SDP body; a section without a direction takes the session's. */
export function sections(sdp: string): Section[] {
  const parts = sdp.replace(/\r\n/g, '\n').split(/\n(?=m=)/);
  const session = parts[0].startsWith('m=') ? '' : parts.shift() ?? '';
  const dir = (s: string) => /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m.exec(s)?.[1] as Direction | undefined;
  return parts.map((s) => {
    const m = /^m=(\w+)\s+(\d+)/.exec(s);
    return {
      kind: m?.[1] ?? '',
      port: Number(m?.[2] ?? 0),
      mid: /^a=mid:(\S+)/m.exec(s)?.[1] ?? null,
      direction: dir(s) ?? dir(session) ?? 'sendrecv',
      slides: /^a=content:slides\s*$/m.test(s),
    };
  });
}

/** sentSlides is the mid of the active slides video the writer of sdp sends, or null. */
export function sentSlides(sdp: string): string | null {
  const s = sections(sdp).find((x) => x.kind === 'video' && x.slides && x.port > 0 && (x.direction === 'sendrecv' || x.direction === 'sendonly'));
  return s ? s.mid ?? '' : null;
}

/** markSlides adds "a=content:slides" to the m-section with the given mid, once. */
export function markSlides(sdp: string, mid: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const parts = sdp.split(new RegExp(`${eol}(?=m=)`));
  return parts.map((p) => {
    if (!p.startsWith('m=video') || !new RegExp(`^a=mid:${mid.replace(/[^\w-]/g, '\\$&')}\\s*$`, 'm').test(p) || /^a=content:slides/m.test(p)) return p;
    const [first, ...rest] = p.split(eol);
    return [first, 'a=content:slides', ...rest].join(eol);
  }).join(eol);
}

export interface ScreenShareOptions {
  enabled: boolean;
  crossAllowed: boolean;
  /** The re-INVITE's extra headers. */
  headers: () => string[];
  onChange: (s: ScreenState) => void;
}

export class ScreenShare {
  readonly #session: RTCSession;
  readonly #opts: ScreenShareOptions;
  #state: ScreenState = { local: false, remote: false };
  /** Our sending transceiver, kept for the next share once created. */
  #transceiver: RTCRtpTransceiver | null = null;
  #remoteMid: string | null = null;
  /** Every mid the far side marked as slides, active or not. */
  readonly #slidesMids = new Set<string>();
  /** What we share, for the preview; null when not sharing. */
  localStream: MediaStream | null = null;
  /** The far side's shared screen; null when it shares none. */
  remoteStream: MediaStream | null = null;

  constructor(session: RTCSession, opts: ScreenShareOptions) {
    this.#session = session;
    this.#opts = opts;
  }

  /** Screen sharing is enabled (isScreenSharingEnabled). */
  get enabled(): boolean {
    return this.#opts.enabled;
  }

  get state(): ScreenState {
    return this.#state;
  }

  #set(patch: Partial<ScreenState>): void {
    this.#state = { ...this.#state, ...patch };
    this.#opts.onChange(this.#state);
  }

  /** canShare tells whether Share screen is usable in a connected, unheld call. */
  canShare(connectedAndUnheld: boolean): boolean {
    const o = this.#opts;
    return o.enabled && connectedAndUnheld && !this.#state.local && (!this.#state.remote || o.crossAllowed)
      && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
  }

  /** start asks the browser for a screen or window and offers it; false when refused or ended meanwhile. */
  async start(): Promise<boolean> {
    const pc = this.#session.connection;
    if (!pc || this.#state.local) return false;
    const media = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const [track] = media.getVideoTracks();
    if (!track || this.#session.isEnded()) {
      for (const t of media.getTracks()) t.stop();
      return false;
    }
    // The browser's own "Stop sharing" ends the track.
    track.addEventListener('ended', () => void this.stop());
    if (this.#transceiver && this.#transceiver.currentDirection !== 'stopped') {
      await this.#transceiver.sender.replaceTrack(track);
      this.#transceiver.direction = 'sendonly';
    } else {
      this.#transceiver = pc.addTransceiver(track, { direction: 'sendonly', streams: [media] });
    }
    this.localStream = media;
    this.#set({ local: true });
    return this.#renegotiate();
  }

  /** stop ends our sharing and tells the far side, unless the call is over. */
  async stop(): Promise<void> {
    if (!this.#state.local) return;
    for (const t of this.localStream?.getTracks() ?? []) t.stop();
    this.localStream = null;
    this.#set({ local: false });
    const tr = this.#transceiver;
    if (!tr || this.#session.isEnded()) return;
    await tr.sender.replaceTrack(null);
    tr.direction = 'inactive';
    await this.#renegotiate();
  }

  /** end releases the capture when the call ends. */
  end(): void {
    for (const t of this.localStream?.getTracks() ?? []) t.stop();
  }

  #renegotiate(): Promise<boolean> {
    // A re-INVITE cannot start while another offer is pending: retry shortly.
    return new Promise((resolve) => {
      const go = (tries: number) => {
        if (this.#session.isEnded()) return resolve(false);
        if (!this.#session.isReadyToReOffer()) return tries > 0 ? void setTimeout(() => go(tries - 1), 200) : resolve(false);
        resolve(this.#session.renegotiate({
          extraHeaders: this.#opts.headers(),
          rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: true },
        }));
      };
      go(100);
    });
  }

  /** markLocal marks our screen's m-section of an SDP we send. */
  markLocal(sdp: string): string {
    const mid = this.#transceiver?.mid;
    return mid ? markSlides(sdp, mid) : sdp;
  }

  /** readRemote notes whether an SDP the far side sends carries its shared screen. */
  readRemote(sdp: string): void {
    for (const x of sections(sdp)) if (x.kind === 'video' && x.slides && x.mid) this.#slidesMids.add(x.mid);
    const mid = sentSlides(sdp);
    this.#remoteMid = mid;
    if (mid === null) {
      this.remoteStream = null;
      if (this.#state.remote) this.#set({ remote: false });
      return;
    }
    // The transceiver exists once the description is applied: its track
    // event attaches it; a transceiver that existed already is found here.
    setTimeout(() => {
      const tr = this.#session.connection?.getTransceivers().find((t) => t.mid === mid);
      if (tr) this.attach(tr);
    }, 0);
  }

  /** attach shows the far side's screen once its transceiver carries it. */
  attach(tr: RTCRtpTransceiver): void {
    if (this.#remoteMid === null || tr.mid !== this.#remoteMid || this.#session.isEnded()) return;
    if (this.remoteStream?.getVideoTracks()[0] !== tr.receiver.track) this.remoteStream = new MediaStream([tr.receiver.track]);
    if (!this.#state.remote) this.#set({ remote: true });
  }

  /** owns tells whether a transceiver carries a shared screen, ours or the far side's. */
  owns(t: RTCRtpTransceiver): boolean {
    return t === this.#transceiver || (t.mid !== null && this.#slidesMids.has(t.mid));
  }

  /** ownsTrack tells whether a track is the screen we share. */
  ownsTrack(track: MediaStreamTrack | null): boolean {
    return !!track && !!this.localStream?.getTracks().includes(track);
  }
}
