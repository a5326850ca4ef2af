// One call: a JsSIP RTCSession with the client's rules on top (hold rules,
// DTMF type, custom headers, codec filter, ICE gathering timeout, transfer).
// No DOM: the UI reads snapshots and attaches remoteStream to an audio element.
import { C } from 'jssip';
import type {
  EndEvent, IncomingDTMFEvent, IncomingEvent, OutgoingDTMFEvent, OutgoingEvent, ReInviteEvent, RTCSession,
} from 'jssip/lib/RTCSession';
import type { ClientConfig } from '../config/options';
import type { QualityScore } from '../media/quality';
import { QualityMonitor } from '../media/qualitymonitor';
import { parseCustomerInfo, type CustomerInfo } from './customerinfo';
import { Emitter } from './emitter';
import { headersFor } from './headers';
import { failureReason, statusCodeOf, type FailureReason } from './failure';
import { ScreenShare, type ScreenState } from './screenshare';
import { acceptRemote, filterCodecs, telephoneEvents } from './sdp';
import { targetURI } from './target';
import { sendsVideo, videoDirection } from './video';

export type CallStatus = 'calling' | 'ringing' | 'incoming' | 'connected' | 'ended';

/** Why a call ended, as the UI words it. */
export type EndReason = 'normal' | 'no-answer' | 'busy' | 'rejected' | 'canceled' | 'transferred' | 'failed';

export interface CallSnapshot {
  id: string;
  direction: 'incoming' | 'outgoing';
  /** The registration the call runs on. */
  line: 'main' | 'backup';
  remoteUser: string;
  remoteName: string;
  status: CallStatus;
  localHold: boolean;
  remoteHold: boolean;
  muted: boolean;
  /** Outgoing call hears the far end's early media (183 with SDP). */
  earlyMedia: boolean;
  transferring: boolean;
  /** DTMF tones received by SIP INFO (in-media RFC 2833 tones are not visible to a browser). */
  receivedTones: string;
  /** DTMF tones we sent, from the keypad or the keyboard. */
  sentTones: string;
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endReason: EndReason | null;
  /** SIP-level cause text for the console and tooltips. */
  endCause: string | null;
  /** Why the call failed, in words (null: it ended normally or goes on). */
  failure: FailureReason | null;
  /** The customer info header of an incoming call, parsed. */
  customerInfo: CustomerInfo | null;
  /** The call UUID per enabled contact-center integration that sent one. */
  callUuids: CallUuid[];
  /** The incoming INVITE carried no SDP offer. */
  delayedOffer: boolean;
  /** The far end offers or sends video. */
  remoteVideo: boolean;
  /** We send video. */
  localVideo: boolean;
  /** When an auto-answer is due (ms since epoch), while the call rings. */
  autoAnswerAt: number | null;
  /** The latest call quality score (voiceQualityMonitorEnabled), null before the first. */
  quality: QualityScore | null;
  /** Screen sharing, ours and the far side's. */
  screen: ScreenState;
  /** The call rejoins a call of an earlier page (restoreCall, see restore.ts); null for other calls. */
  restore?: 'pending' | 'done' | 'failed' | null;
}

/** What a call takes over from the call it replaces (restore.ts, phone.ts). */
export type InheritedFields = Partial<Pick<CallSnapshot,
  'id' | 'status' | 'direction' | 'remoteUser' | 'remoteName' | 'createdAt' | 'answeredAt' | 'customerInfo' | 'callUuids' | 'restore'>>;

export interface CallUuid {
  serviceName: string;
  uuid: string;
}

/** The parts of the INVITE that started an incoming call. */
export interface InviteHeaders {
  getHeader(name: string): string | undefined;
  body?: string | null;
}

/** The settings a call needs, taken from ClientConfig and the UI's device choice. */
export interface CallSettings {
  config: ClientConfig;
  customHeaders: readonly string[];
  microphoneId: string | null;
  cameraId?: string | null;
  /** The account's SIP domain, for targets typed without one. */
  sipDomain: string;
  /** Whether the call's line is connected to its SBC (unset: taken as connected). */
  transportConnected?: () => boolean;
}

/** videoConstraints asks for the chosen camera, or any. */
export function videoConstraints(s: CallSettings): MediaTrackConstraints | true {
  return s.cameraId ? { deviceId: { exact: s.cameraId } } : true;
}

/** mediaOptions are the JsSIP options of a new or answered call, with video when asked. */
export function mediaOptions(s: CallSettings, video = false) {
  return {
    mediaConstraints: { audio: s.microphoneId ? { deviceId: { exact: s.microphoneId } } : true, video: video ? videoConstraints(s) : false },
    pcConfig: {
      iceServers: s.config.server.iceServers,
      // balanced, not max-bundle: a peer that does not bundle (many SIP
      // phones, PBXs and SBCs) is accepted, and one that does is bundled.
      bundlePolicy: 'balanced' as RTCBundlePolicy,
      // Browsers support nothing else (see sdp.ts acceptRemote).
      rtcpMuxPolicy: 'require' as RTCRtcpMuxPolicy,
    },
    rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: video },
    sessionTimersExpires: 120,
  };
}

/** endReason words a JsSIP end cause; 408/480 from the far end count as not answered. */
export function endReason(cause: string): EndReason {
  switch (cause) {
    case C.causes.NO_ANSWER:
    case C.causes.REQUEST_TIMEOUT:
    case C.causes.UNAVAILABLE:
      return 'no-answer';
    case C.causes.BUSY:
      return 'busy';
    case C.causes.REJECTED:
      return 'rejected';
    case C.causes.CANCELED:
      return 'canceled';
    case C.causes.BYE:
      return 'normal';
    default:
      return 'failed';
  }
}

/** sdpDirection reads the audio direction of an SDP body (sendrecv when unstated). */
export function sdpDirection(sdp: string): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  let session: string | null = null;
  let audio: string | null = null;
  let inAudio = false;
  let seenMedia = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      inAudio = line.startsWith('m=audio');
      seenMedia = true;
      continue;
    }
    const m = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.exec(line);
    if (!m) continue;
    if (!seenMedia) session = m[1];
    else if (inAudio && audio === null) audio = m[1];
  }
  return (audio ?? session ?? 'sendrecv') as 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}

export class Call extends Emitter<{ change: CallSnapshot; ended: CallSnapshot }> {
  readonly session: RTCSession;
  /** The far end's audio (and video) tracks. */
  remoteStream: MediaStream | null = null;
  /** Our camera's track, for the local preview. */
  localVideoStream: MediaStream | null = null;
  #snap: CallSnapshot;
  readonly #settings: CallSettings;
  #iceTimer: ReturnType<typeof setTimeout> | null = null;
  #quality: QualityMonitor | null = null;
  /** Screen sharing (isScreenSharingEnabled). */
  readonly screen: ScreenShare;
  /** The last description from the far end. */
  #remoteSdp = '';
  /** The agent (or the page going away) asked to end the call. */
  #endAsked = false;
  /** The browser refused a description from the far end. */
  #remoteRefused = false;

  constructor(session: RTCSession, line: 'main' | 'backup', settings: CallSettings, invite?: InviteHeaders) {
    super();
    this.session = session;
    this.#settings = settings;
    const remote = session.remote_identity;
    const agent = settings.config.agent;
    const header = (name: string) => (name && invite?.getHeader(name)) || '';
    const offer = invite?.body ?? '';
    this.#snap = {
      id: session.id,
      direction: session.direction === 'incoming' ? 'incoming' : 'outgoing',
      line,
      remoteUser: remote?.uri?.user ?? '',
      remoteName: remote?.display_name ?? '',
      status: session.direction === 'incoming' ? 'incoming' : 'calling',
      localHold: false,
      remoteHold: false,
      muted: false,
      earlyMedia: false,
      transferring: false,
      receivedTones: '',
      sentTones: '',
      createdAt: Date.now(),
      answeredAt: null,
      endedAt: null,
      endReason: null,
      endCause: null,
      failure: null,
      customerInfo: invite ? parseCustomerInfo(header(agent.customerInfoHeader), agent.customerInfoMapping) : null,
      callUuids: invite
        ? agent.integrations.map((i) => ({ serviceName: i.serviceName, uuid: header(i.callUuidHeader).trim() })).filter((u) => u.uuid)
        : [],
      delayedOffer: !!invite && !offer.trim(),
      remoteVideo: sendsVideo(videoDirection(offer)),
      localVideo: false,
      autoAnswerAt: null,
      quality: null,
      screen: { local: false, remote: false },
      restore: null,
    };
    this.screen = new ScreenShare(session, {
      ...settings.config.screenSharing,
      headers: () => headersFor('VIDEO_REINVITE', settings.customHeaders),
      onChange: (screen) => this.#set({ screen }),
    });
    this.#wire();
  }

  get snapshot(): CallSnapshot {
    return this.#snap;
  }

  /** inherit shows this call as the one it replaces (same party, same start time). */
  inherit(fields: InheritedFields): void {
    this.#set(fields);
  }

  #set(patch: Partial<CallSnapshot>): void {
    this.#snap = { ...this.#snap, ...patch };
    this.emit('change', this.#snap);
  }

  #wire(): void {
    const s = this.session;
    const cfg = this.#settings.config;
    if (s.connection) this.#watchPeer(s.connection);
    s.on('peerconnection', (e) => this.#watchPeer(e.peerconnection));
    s.on('sdp', (e) => {
      if (e.originator === 'local') {
        e.sdp = this.screen.markLocal(filterCodecs(e.sdp, cfg.codecFilter));
        return;
      }
      // Peers that are not browsers: the rules of sdp.ts acceptRemote, judged
      // against what was negotiated so far.
      const pc = s.connection;
      const ctx = { local: pc?.currentLocalDescription?.sdp ?? null, remote: pc?.currentRemoteDescription?.sdp ?? null };
      e.sdp = acceptRemote(e.sdp, e.type, ctx, { dtmfInMedia: cfg.dtmfUseWebRTC });
      this.#remoteSdp = e.sdp;
      this.screen.readRemote(e.sdp);
      this.#set({ remoteVideo: sendsVideo(videoDirection(e.sdp)) });
    });
    s.on('peerconnection:setremotedescriptionfailed', (err) => {
      console.warn('the far end\'s SDP was refused', err);
      this.#remoteRefused = true;
    });
    s.on('icecandidate', (e) => {
      // modes.ice_timeout_fix: stop waiting for more candidates this long
      // after the first one, instead of for the end of gathering.
      if (this.#iceTimer === null && cfg.modes.iceTimeoutFix > 0) {
        const ready = e.ready;
        this.#iceTimer = setTimeout(() => ready(), cfg.modes.iceTimeoutFix);
      }
    });
    s.on('progress', (e: IncomingEvent | OutgoingEvent) => {
      if (this.#snap.direction !== 'outgoing') return;
      const early = 'response' in e && !!e.response && e.response.status_code === 183 && !!e.response.body;
      this.#set({ status: 'ringing', earlyMedia: this.#snap.earlyMedia || early });
    });
    s.on('accepted', () => {
      this.#set({ status: 'connected', answeredAt: this.#snap.answeredAt ?? Date.now(), autoAnswerAt: null });
      this.#refreshLocalVideo();
      this.#monitorQuality();
    });
    s.on('confirmed', () => {
      if (this.#snap.status !== 'connected') this.#set({ status: 'connected', answeredAt: this.#snap.answeredAt ?? Date.now(), autoAnswerAt: null });
      this.#refreshLocalVideo();
      this.#monitorQuality();
    });
    s.on('hold', (e) => this.#set(e.originator === 'local' ? { localHold: true } : { remoteHold: true }));
    s.on('unhold', (e) => this.#set(e.originator === 'local' ? { localHold: false } : { remoteHold: false }));
    s.on('muted', () => this.#set({ muted: true }));
    s.on('unmuted', () => this.#set({ muted: false }));
    s.on('reinvite', (e) => this.#onReinvite(e));
    s.on('newDTMF', (e: IncomingDTMFEvent | OutgoingDTMFEvent) => {
      if (e.originator === 'remote') this.#set({ receivedTones: (this.#snap.receivedTones + e.dtmf.tone).slice(-32) });
    });
    s.on('ended', (e) => this.#end(e));
    s.on('failed', (e) => {
      // A refused offer: JsSIP fails the call (WebRTC Error) and only then, in
      // the same step, tells that the far end's description was refused. End
      // after that, so that the failure reads "media refused".
      if (e.cause === C.causes.WEBRTC_ERROR) queueMicrotask(() => this.#end(e));
      else this.#end(e);
    });
  }

  #watchPeer(pc: RTCPeerConnection): void {
    pc.addEventListener('track', (e) => {
      if (this.screen.owns(e.transceiver)) return this.screen.attach(e.transceiver); // shown by the screen view
      // One stream holds every remote track, audio and video alike.
      const stream = this.remoteStream ?? new MediaStream();
      if (!stream.getTracks().includes(e.track)) stream.addTrack(e.track);
      // A new object, so that views holding the old one see the change.
      this.remoteStream = new MediaStream(stream.getTracks());
      this.emit('change', this.#snap);
    });
  }

  // The camera track we send, if any, for the local preview.
  #refreshLocalVideo(): void {
    const pc = this.session.connection;
    const track = pc?.getSenders().map((s) => s.track).find((t) => t?.kind === 'video' && t.readyState === 'live' && !this.screen.ownsTrack(t)) ?? null;
    const current = this.localVideoStream?.getVideoTracks()[0] ?? null;
    if (track !== current) this.localVideoStream = track ? new MediaStream([track]) : null;
    if (this.#snap.localVideo !== !!track || track !== current) this.#set({ localVideo: !!track });
  }

  // isAllowedToResumeLocalHoldByRemoteReInvite: a re-INVITE offering
  // sendrecv while we hold the call releases our hold. The stack answers the
  // re-INVITE keeping the hold; the release follows as our own re-INVITE once
  // that transaction is done.
  #onReinvite(e: ReInviteEvent): void {
    if (!this.#settings.config.isAllowedToResumeLocalHoldByRemoteReInvite || !this.#snap.localHold) return;
    const body = e.request.body;
    if (!body || sdpDirection(body) !== 'sendrecv') return;
    const release = () => {
      if (!this.#snap.localHold || this.session.isEnded()) return;
      if (this.session.isReadyToReOffer()) this.session.unhold();
      else setTimeout(release, 200);
    };
    setTimeout(release, 0);
  }

  // voiceQualityMonitorEnabled: a score from the statistics every 2 s.
  #monitorQuality(): void {
    const pc = this.session.connection;
    if (!this.#settings.config.quality.enabled || this.#quality || !pc) return;
    this.#quality = new QualityMonitor(pc, (quality) => this.#set({ quality }));
  }

  #end(e: EndEvent): void {
    if (this.#snap.status === 'ended') return;
    if (this.#iceTimer !== null) clearTimeout(this.#iceTimer);
    this.#quality?.stop();
    this.screen.end();
    for (const t of this.localVideoStream?.getTracks() ?? []) t.stop();
    // JsSIP cancels a ringing outgoing call itself when the connection to
    // the SBC drops, and reports it as Canceled: tell it from the agent's own.
    const lost = e.cause === C.causes.CANCELED && e.originator === 'local' && !this.#endAsked && this.#settings.transportConnected?.() === false;
    const why = lost ? C.causes.CONNECTION_ERROR : e.cause;
    const reason = this.#snap.transferring ? 'transferred' : endReason(why);
    const code = statusCodeOf(e.message);
    const failure = reason === 'transferred' ? null : failureReason({ cause: why, statusCode: code, originator: e.originator, remoteSdpRefused: this.#remoteRefused });
    const cause = code !== null ? `${why} (${code})` : why;
    this.#set({ status: 'ended', endedAt: Date.now(), endReason: reason, endCause: cause, failure, transferring: false, autoAnswerAt: null });
    this.emit('ended', this.#snap);
  }

  /** answer answers an incoming call, sending video when asked and video calls are enabled. */
  answer(video = false): void {
    if (this.#snap.status !== 'incoming') return;
    const s = this.#settings;
    this.session.answer({ ...mediaOptions(s, video && s.config.agent.video.enabled), extraHeaders: headersFor('ANSWER', s.customHeaders) });
  }

  /** setAutoAnswerAt shows when the call will be answered by itself (null: not). */
  setAutoAnswerAt(at: number | null): void {
    if (this.#snap.status === 'incoming') this.#set({ autoAnswerAt: at });
  }

  /** canAddVideo tells whether the Add video button is usable (enableAddVideo). */
  canAddVideo(): boolean {
    const s = this.#snap;
    return this.#settings.config.agent.video.addVideo && s.status === 'connected' && !s.localVideo && !s.localHold && !s.remoteHold;
  }

  /**
   * addVideo sends our camera in a connected call: the track joins the peer
   * connection and a re-INVITE (with the custom headers) offers it.
   */
  async addVideo(): Promise<boolean> {
    if (!this.canAddVideo()) return false;
    const pc = this.session.connection;
    if (!pc) return false;
    const camera = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(this.#settings) });
    const [track] = camera.getVideoTracks();
    if (!track || this.session.isEnded()) {
      for (const t of camera.getTracks()) t.stop();
      return false;
    }
    // Reuse a video transceiver the far end's offer made, else add one.
    const idle = pc.getTransceivers().find((t) => t.receiver.track.kind === 'video' && !t.sender.track && t.currentDirection !== 'stopped' && !this.screen.owns(t));
    if (idle) {
      await idle.sender.replaceTrack(track);
      idle.direction = 'sendrecv';
    } else {
      pc.addTrack(track, camera);
    }
    this.#refreshLocalVideo();
    return this.session.renegotiate({
      extraHeaders: headersFor('VIDEO_REINVITE', this.#settings.customHeaders),
      rtcOfferConstraints: { offerToReceiveAudio: true, offerToReceiveVideo: true },
    });
  }

  /** reject declines an incoming call with 486 Busy Here. */
  reject(): void {
    if (this.#snap.status !== 'incoming') return;
    this.#endAsked = true;
    this.session.terminate({ status_code: 486, reason_phrase: 'Busy Here', extraHeaders: headersFor('REJECT', this.#settings.customHeaders) });
  }

  /** hangUp ends the call in any state (cancel, reject or bye). */
  hangUp(): void {
    if (this.session.isEnded()) return;
    if (this.#snap.status === 'incoming') return this.reject();
    this.#endAsked = true;
    this.session.terminate();
  }

  /** canHold tells whether the Hold button is usable (avoidTwoWayHold). */
  canHold(): boolean {
    const s = this.#snap;
    if (s.status !== 'connected' || s.localHold) return false;
    return !(this.#settings.config.avoidTwoWayHold && s.remoteHold);
  }

  hold(): boolean {
    if (!this.canHold()) return false;
    return this.session.hold({ extraHeaders: headersFor('HOLD_REINVITE', this.#settings.customHeaders) });
  }

  unhold(): boolean {
    if (!this.#snap.localHold) return false;
    return this.session.unhold({ extraHeaders: headersFor('HOLD_REINVITE', this.#settings.customHeaders) });
  }

  toggleMute(): void {
    if (this.#snap.muted) this.session.unmute({ audio: true });
    else this.session.mute({ audio: true });
  }

  /**
   * sendDTMF sends tones in the media (RFC 2833/4733) or by SIP INFO, per
   * dtmfUseWebRTC; by SIP INFO also when the far end's SDP has no
   * telephone-event, since in-media tones would then be dropped. The tones
   * join sentTones, for the keypad display.
   */
  sendDTMF(tones: string): void {
    if (this.#snap.status !== 'connected') return;
    const cfg = this.#settings.config;
    const inMedia = cfg.dtmfUseWebRTC && (this.#remoteSdp === '' || telephoneEvents(this.#remoteSdp).length > 0);
    this.session.sendDTMF(tones, {
      duration: cfg.dtmfDuration,
      interToneGap: cfg.dtmfInterToneGap,
      transportType: inMedia ? C.DTMF_TRANSPORT.RFC2833 : C.DTMF_TRANSPORT.INFO,
    });
    this.#set({ sentTones: (this.#snap.sentTones + tones).slice(-32) });
  }

  /** sendInfo sends a SIP INFO (not DTMF) carrying the custom headers. */
  sendInfo(contentType: string, body: string): void {
    if (this.#snap.status !== 'connected') return;
    this.session.sendInfo(contentType, body, { extraHeaders: headersFor('INFO', this.#settings.customHeaders) });
  }

  /**
   * transfer makes a blind transfer (REFER). Our leg is hung up as soon as the
   * far end accepts the REFER (202); a refused REFER keeps the call.
   */
  transfer(input: string): boolean {
    const target = targetURI(input, this.#settings.sipDomain);
    if (!target || this.#snap.status !== 'connected' || this.#snap.transferring) return false;
    this.#set({ transferring: true });
    this.session.refer(target, {
      extraHeaders: headersFor('REFER', this.#settings.customHeaders),
      eventHandlers: {
        requestSucceeded: () => this.session.terminate(),
        requestFailed: () => this.#set({ transferring: false }),
      },
    });
    return true;
  }

  /**
   * completeTransfer makes a consult (attended) transfer: the far end of this
   * call is asked (REFER with Replaces in Refer-To, RFC 3891 and RFC 5589) to
   * call the far end of consult in our place. Both of our legs end once the
   * far end reports the new call answered; a refused or failed transfer
   * keeps both calls.
   */
  completeTransfer(consult: Call): boolean {
    if (!canCompleteTransfer(this.#snap, consult.snapshot) || consult === this) return false;
    const target = consult.session.remote_identity?.uri;
    if (!target) return false;
    const mark = (transferring: boolean) => {
      this.#set({ transferring });
      consult.#set({ transferring });
    };
    mark(true);
    this.session.refer(target, {
      replaces: consult.session,
      extraHeaders: headersFor('REFER', this.#settings.customHeaders),
      eventHandlers: {
        accepted: () => {
          if (!this.session.isEnded()) this.session.terminate();
          if (!consult.session.isEnded()) consult.session.terminate();
        },
        requestFailed: () => mark(false),
        failed: () => mark(false),
      },
    });
    return true;
  }
}

/** canCompleteTransfer tells whether transferee's party can be handed to consult's. */
export function canCompleteTransfer(transferee: CallSnapshot, consult: CallSnapshot): boolean {
  return transferee.id !== consult.id && transferee.status === 'connected' && consult.status === 'connected'
    && !transferee.transferring && !consult.transferring;
}
