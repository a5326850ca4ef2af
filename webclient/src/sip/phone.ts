// The phone: one JsSIP user agent per registration line (the main SBC list
// and, for dual registration, the backup list), and the calls on them.
// No DOM: the UI subscribes to snapshots.
import { UA, Utils } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import type { IncomingRequest } from 'jssip/lib/SIPMessage';
import type { ClientConfig } from '../config/options';
import { Call, mediaOptions, type CallSettings, type CallSnapshot } from './call';
import { Emitter } from './emitter';
import { headersFor, parseCustomHeaders } from './headers';
import { RegisterAuthCache } from './registerauth';
import { FailoverSocket } from './failover';
import { SipWebSocket } from './socket';
import { targetURI } from './target';
import { withAuthorization } from '../auth/bearer';
import { autoAnswerDelay, autoAnswerWithVideo } from './autoanswer';
import { parseReplaces, replacesDialog, replacesHeader, sameParty } from './replaces';
import { dialogOf, type SavedCall } from './restore';

export type LineName = 'main' | 'backup';
export type RegistrationState = 'connecting' | 'registering' | 'registered' | 'unregistered' | 'failed' | 'disconnected';

export interface LineSnapshot {
  name: LineName;
  state: RegistrationState;
  /** The SBC address of the current or last connection. */
  server: string | null;
  /** Failure cause (JsSIP cause text) when state is failed or disconnected. */
  cause: string | null;
  /**
   * When the next connection or registration attempt is due at the latest
   * (ms since epoch), while one is scheduled; null when none is.
   */
  retryAt: number | null;
}

/** The part of JsSIP's transport that retryNow and the retry time use. */
interface RecoveringTransport {
  recover_attempts: number;
  recovery_timer: ReturnType<typeof setTimeout> | null;
  connect(): void;
}

/**
 * reconnectBound is the longest JsSIP waits before reconnection attempt
 * number attempt: a random 1..2^attempt seconds, kept within min..max.
 */
export function reconnectBound(attempt: number, min: number, max: number): number {
  return Math.min(Math.max(2 ** Math.min(attempt, 30), min), max);
}

export interface Account {
  user: string;
  password: string;
  displayName: string;
  /** Set when an identity provider's sign-in supplied the account (src/auth). */
  auth?: AccountAuth;
}

/**
 * AccountAuth is what a provider's sign-in adds to an account: REGISTER
 * credentials that follow the provider's tokens.
 */
export interface AccountAuth {
  /** The Authorization every REGISTER carries ("Bearer <id token>"), or null for digest with the password. */
  authorization(): string | null;
  /**
   * renew refreshes the credentials after a REGISTER refused for them
   * (authRefreshRetriesForSipError); it resolves to the password to register
   * with again, or null to stop. liveCalls: a call is in progress.
   */
  renew(liveCalls: boolean): Promise<string | null>;
  /** registered tells that a REGISTER succeeded. */
  registered(): void;
}

export interface ServerSettings {
  sipDomain: string;
  addresses: string[];
  backupAddresses: string[];
}

/** The agent's ACD state (ACDClientConfig). */
export interface AgentState {
  ready: boolean;
  /** The not-ready reason code; null while ready. */
  reasonCode: string | null;
}

/**
 * The header on the 486 Busy Here that refuses a call while the agent is not
 * ready; its value is the not-ready reason code.
 */
export const notReadyReasonHeader = 'X-Not-Ready-Reason-Code';

export interface PhoneSnapshot {
  lines: LineSnapshot[];
  calls: CallSnapshot[];
  agent: AgentState;
}

interface Line {
  name: LineName;
  ua: UA;
  snap: LineSnapshot;
  auth: RegisterAuthCache | null;
  retry: ReturnType<typeof setTimeout> | null;
}

/** cnonce returns a fresh client nonce for digest authentication. */
function cnonce(): string {
  const b = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export class Phone extends Emitter<{ change: PhoneSnapshot; incoming: Call; callEnded: CallSnapshot; agentState: AgentState }> {
  readonly config: ClientConfig;
  readonly account: Account;
  readonly server: ServerSettings;
  #lines: Line[] = [];
  #calls: Call[] = [];
  #microphoneId: string | null = null;
  #cameraId: string | null = null;
  #agent: AgentState = { ready: true, reasonCode: null };
  readonly #customHeaders: string[];
  #stopped = false;
  /** Calls that an INVITE with Replaces took over: they end without a trace. */
  readonly #replaced = new WeakSet<Call>();

  constructor(config: ClientConfig, account: Account, server: ServerSettings) {
    super();
    this.config = config;
    this.account = account;
    this.server = server;
    const parsed = parseCustomHeaders(config.customGeneralSIPHeaders);
    for (const p of parsed.problems) console.warn(p);
    this.#customHeaders = parsed.headers;
  }

  get snapshot(): PhoneSnapshot {
    return { lines: this.#lines.map((l) => l.snap), calls: this.#calls.map((c) => c.snapshot), agent: this.#agent };
  }

  get calls(): readonly Call[] {
    return this.#calls;
  }

  call(id: string): Call | undefined {
    return this.#calls.find((c) => c.snapshot.id === id);
  }

  setMicrophone(deviceId: string | null): void {
    this.#microphoneId = deviceId;
  }

  setCamera(deviceId: string | null): void {
    this.#cameraId = deviceId;
  }

  /**
   * setAgentState sets ready or not ready (with a reason code). It only
   * counts with ACDClientConfig.enabled: otherwise the agent is always ready.
   */
  setAgentState(state: AgentState): void {
    const next: AgentState = state.ready ? { ready: true, reasonCode: null } : { ready: false, reasonCode: state.reasonCode || this.config.agent.acd.notReadyDefaultReasonCode };
    if (next.ready === this.#agent.ready && next.reasonCode === this.#agent.reasonCode) return;
    this.#agent = next;
    this.emit('agentState', next);
    this.#changed();
  }

  get agentState(): AgentState {
    return this.#agent;
  }

  #changed(): void {
    this.emit('change', this.snapshot);
  }

  /** start connects and registers every line. */
  start(): void {
    this.#stopped = false;
    this.#lines = [this.#makeLine('main', this.server.addresses)];
    if (this.server.backupAddresses.length > 0) this.#lines.push(this.#makeLine('backup', this.server.backupAddresses));
    for (const l of this.#lines) l.ua.start();
    this.#changed();
  }

  /** stop ends the calls, unregisters and disconnects. */
  stop(): void {
    this.#stopped = true;
    for (const l of this.#lines) {
      if (l.retry !== null) clearTimeout(l.retry);
      l.auth?.forget();
      try {
        l.ua.stop();
      } catch (err) {
        console.warn('stopping SIP user agent', err);
      }
    }
  }

  #settings(): CallSettings {
    return {
      config: this.config, customHeaders: this.#customHeaders, microphoneId: this.#microphoneId, cameraId: this.#cameraId, sipDomain: this.server.sipDomain,
    };
  }

  #makeLine(name: LineName, addresses: string[]): Line {
    const cfg = this.config;
    const auth = cfg.modes.cacheRegisterAuthMode
      ? new RegisterAuthCache(this.account.password, Utils.calculateMD5, cnonce)
      : null;
    // A provider's Bearer token joins each REGISTER as it leaves (src/auth/bearer.ts).
    const signedIn = this.account.auth;
    const hooks = {
      outgoing: signedIn
        ? (m: string) => withAuthorization(auth ? auth.outgoing(m) : m, signedIn.authorization())
        : auth?.outgoing,
    };
    const socket = new FailoverSocket(addresses, cfg.server.prioritize, (url) => new SipWebSocket(url, hooks));
    const ua = new UA({
      sockets: [socket],
      uri: `sip:${this.account.user}@${this.server.sipDomain}`,
      password: this.account.password,
      display_name: this.account.displayName || undefined,
      register: true,
      register_expires: cfg.registerExpires,
      connection_recovery_min_interval: cfg.reconnectIntervalMin,
      connection_recovery_max_interval: cfg.reconnectIntervalMax,
      no_answer_timeout: cfg.noAnswerTimeout,
      session_timers: cfg.useSessionTimer,
      session_timers_refresh_method: 'UPDATE',
      user_agent: 'Softphone WebRTC client',
    });
    ua.registrator().setExtraHeaders(headersFor('REGISTER', this.#customHeaders));
    const line: Line = { name, ua, auth, retry: null, snap: { name, state: 'connecting', server: null, cause: null, retryAt: null } };
    const set = (patch: Partial<LineSnapshot>) => {
      line.snap = { ...line.snap, ...patch };
      this.#changed();
    };
    ua.on('connecting', () => set({ state: 'connecting', retryAt: null }));
    ua.on('connected', (e) => set({ state: 'registering', server: e.socket.url, cause: null, retryAt: null }));
    ua.on('disconnected', (e) => {
      if (this.#stopped) return;
      // JsSIP schedules its next attempt right after this event.
      const attempt = (ua as unknown as { transport: RecoveringTransport }).transport.recover_attempts + 1;
      const retryAt = Date.now() + reconnectBound(attempt, cfg.reconnectIntervalMin, cfg.reconnectIntervalMax) * 1000;
      set({ state: 'disconnected', server: e.socket?.url ?? line.snap.server, cause: e.reason || null, retryAt });
    });
    ua.on('registered', () => {
      this.account.auth?.registered();
      set({ state: 'registered', cause: null, retryAt: null });
    });
    ua.on('unregistered', () => set({ state: 'unregistered' }));
    ua.on('registrationFailed', (e) => {
      set({ state: 'failed', cause: e.cause ?? null });
      this.#retryRegister(line, e.cause);
    });
    ua.on('newRTCSession', (e: RTCSessionEvent) => this.#onSession(e.session, name, e.originator === 'remote' ? e.request : null));
    return line;
  }

  // A registration refused for a reason other than the credentials is tried
  // again after reconnectIntervalMax; a transport loss re-registers by itself.
  #retryRegister(line: Line, cause: string | undefined): void {
    const signedIn = this.account.auth;
    if (cause === 'Authentication Error' && signedIn && !this.#stopped) {
      // A provider's credentials: refresh the token and register again.
      const live = this.#calls.some((c) => c.snapshot.status !== 'ended');
      void signedIn.renew(live).then((password) => {
        if (password === null || this.#stopped) return;
        if (password) line.ua.set('password', password);
        if (line.ua.isConnected()) line.ua.register();
      });
      return;
    }
    if (this.#stopped || cause === 'Authentication Error' || cause === 'Rejected' || cause === 'Connection Error') return;
    if (line.retry !== null) clearTimeout(line.retry);
    line.snap = { ...line.snap, retryAt: Date.now() + this.config.reconnectIntervalMax * 1000 };
    this.#changed();
    line.retry = setTimeout(() => {
      line.retry = null;
      if (!this.#stopped && line.ua.isConnected() && !line.ua.isRegistered()) line.ua.register();
    }, this.config.reconnectIntervalMax * 1000);
  }

  /**
   * retryNow tries every line that is down at once: it reconnects a lost
   * connection, or registers again after a refused registration.
   */
  retryNow(): void {
    if (this.#stopped) return;
    for (const line of this.#lines) {
      const st = line.snap.state;
      if (st === 'disconnected') {
        const tr = (line.ua as unknown as { transport: RecoveringTransport }).transport;
        if (tr.recovery_timer !== null) clearTimeout(tr.recovery_timer);
        tr.recovery_timer = null;
        tr.connect();
      } else if (st === 'failed' || st === 'unregistered') {
        if (line.retry !== null) clearTimeout(line.retry);
        line.retry = null;
        if (line.ua.isConnected()) line.ua.register();
      }
    }
  }

  #onSession(session: RTCSession, line: LineName, invite: IncomingRequest | null): void {
    const incoming = invite !== null;
    const acd = this.config.agent.acd;
    // An INVITE with Replaces continues a call the agent already has (RFC 3891).
    const replaced = invite ? this.#replacedBy(invite) : null;
    if (incoming && !replaced && acd.enabled && !this.#agent.ready) {
      // Not ready: refuse with 486 and the reason code; the call is not shown.
      const code = (this.#agent.reasonCode ?? acd.notReadyDefaultReasonCode).replace(/[\r\n\0]/g, ' ');
      session.terminate({
        status_code: 486,
        reason_phrase: 'Busy Here',
        extraHeaders: headersFor('REJECT', this.#customHeaders, [`${notReadyReasonHeader}: ${code}`]),
      });
      return;
    }
    const ua = this.#lines.find((l) => l.name === line)?.ua;
    const call = new Call(session, line, { ...this.#settings(), transportConnected: () => ua?.isConnected() ?? false }, invite ?? undefined);
    this.#calls.push(call);
    call.on('change', () => this.#changed());
    // A matching INVITE with Replaces takes this call over (see #takeOver).
    // An early-only Replaces must not take over a confirmed call: 486 (RFC 3891 section 3).
    session.on('replaces', (e) => (parseReplaces(e.request.getHeader('Replaces') ?? '')?.earlyOnly ? e.reject() : e.accept()));
    let autoAnswer: ReturnType<typeof setTimeout> | null = null;
    call.on('ended', (snap) => {
      if (this.#replaced.has(call)) return;
      if (autoAnswer !== null) clearTimeout(autoAnswer);
      // A missed call (rang, not answered, not refused by the agent) makes
      // the agent not ready with the default reason code.
      if (acd.enabled && this.#agent.ready && snap.direction === 'incoming' && snap.answeredAt === null
        && (snap.endReason === 'no-answer' || snap.endReason === 'canceled') && !this.#stopped) {
        this.setAgentState({ ready: false, reasonCode: acd.notReadyDefaultReasonCode });
      }
      this.emit('callEnded', snap);
      // An ended call stays listed briefly so the user sees how it ended.
      setTimeout(() => {
        this.#calls = this.#calls.filter((c) => c !== call);
        this.#changed();
      }, 3000);
    });
    session.on('refer', (e) => {
      // Blind transfer requested by the far end: call the target on the same line.
      e.accept(() => {}, { ...mediaOptions(this.#settings()), extraHeaders: headersFor('INVITE', this.#customHeaders) });
    });
    if (replaced && invite) return this.#takeOver(replaced, call, invite);
    this.#changed();
    if (!invite) return;
    this.emit('incoming', call);
    const auto = this.config.agent.autoAnswer;
    const delay = autoAnswerDelay(invite.getHeaders('Call-Info'), invite.getHeaders('Alert-Info'), auto.defaultDelaySeconds);
    if (delay === null) return;
    const video = autoAnswerWithVideo(call.snapshot, auto.answerDelayedOfferWithVideo, this.config.agent.video.enabled);
    call.setAutoAnswerAt(Date.now() + delay * 1000);
    autoAnswer = setTimeout(() => {
      autoAnswer = null;
      if (call.snapshot.status === 'incoming') this.answer(call, video);
    }, delay * 1000);
  }

  /** replacedBy finds the call an INVITE's Replaces header names, if any. */
  #replacedBy(invite: IncomingRequest): Call | null {
    const value = invite.getHeader('Replaces');
    const r = value ? parseReplaces(value) : null;
    if (!r) return null;
    return this.#calls.find((c) => {
      const d = dialogOf(c.session);
      return d !== null && c.snapshot.status === 'connected' && replacesDialog(r, d);
    }) ?? null;
  }

  /**
   * takeOver answers call, which replaces old, at once and without ringing.
   * The new call takes the old one's place in the list; a peer rejoining
   * after a page reload (same address) keeps the old card's party, id and
   * timer. The stack ends the old call once the new one is confirmed; if the
   * new one fails first, a rejoined call ends too and a transferred one comes back.
   */
  #takeOver(old: Call, call: Call, invite: IncomingRequest): void {
    const o = old.snapshot;
    call.answer();
    // Never shown as ringing: it is the same conversation going on.
    call.inherit({ status: 'connected' });
    const rejoining = sameParty(invite.getHeader('From') ?? '', old.session.remote_identity?.uri?.toString() ?? '');
    if (rejoining) {
      call.inherit({
        id: o.id, direction: o.direction, remoteUser: o.remoteUser, remoteName: o.remoteName,
        createdAt: o.createdAt, answeredAt: o.answeredAt, customerInfo: o.customerInfo, callUuids: o.callUuids,
      });
    }
    this.#replaced.add(old);
    this.#calls = this.#calls.filter((c) => c !== call).map((c) => (c === old ? call : c));
    call.on('ended', () => {
      if (old.session.isEnded() || this.#calls.includes(old)) return;
      // Ended before it was confirmed. A peer that was rejoining (a page
      // reload) has left the old dialog for good: end it too.
      if (rejoining) return old.hangUp();
      // Otherwise (a transfer) the old call is still up.
      this.#replaced.delete(old);
      this.#calls = this.#calls.map((c) => (c === call ? old : c));
      this.#changed();
    });
    this.#changed();
  }

  /**
   * rejoin calls the far end of a call a previous page had (restoreCall):
   * an INVITE with Replaces (RFC 3891) to the saved remote target. The new
   * call shows the saved party, id and start time. Null when no line can call.
   */
  rejoin(saved: SavedCall): Call | null {
    const line = this.#lines.find((l) => l.name === saved.line && l.snap.state === 'registered') ?? this.#lineForCalls();
    if (!line) return null;
    const before = this.#calls.length;
    line.ua.call(saved.remoteTarget, {
      ...mediaOptions(this.#settings()),
      // Require: a peer without Replaces answers 420 instead of ringing as a new call.
      extraHeaders: headersFor('INVITE', this.#customHeaders, [replacesHeader(saved), 'Require: replaces']),
    });
    const call = this.#calls[before];
    if (!call) return null;
    call.inherit({
      id: saved.id, direction: saved.direction, remoteUser: saved.remoteUser, remoteName: saved.remoteName,
      createdAt: saved.answeredAt, answeredAt: saved.answeredAt, restore: 'pending',
    });
    call.on('change', (s) => {
      if (s.restore !== 'pending') return;
      if (s.status === 'ended') return call.inherit({ restore: 'failed' });
      if (s.status !== 'connected') return;
      call.inherit({ restore: 'done' });
      // A call the agent held stays held.
      if (saved.held) call.hold();
    });
    return call;
  }

  /** lineForCalls picks the registered line for a new call, main first. */
  #lineForCalls(): Line | undefined {
    return this.#lines.find((l) => l.snap.state === 'registered') ?? this.#lines.find((l) => l.ua.isConnected());
  }

  /**
   * dial calls target (a number, user, user@domain or SIP URI). A connected
   * call that is not held is put on hold first. Returns the new call, or an
   * error text key.
   */
  dial(target: string, video = false): Call | 'OUTGOING_CALLS_DISABLED' | 'INVALID_TARGET' | 'NOT_REGISTERED' {
    if (this.config.disableOutgoingCalls) return 'OUTGOING_CALLS_DISABLED';
    const uri = targetURI(target, this.server.sipDomain);
    if (!uri) return 'INVALID_TARGET';
    const line = this.#lineForCalls();
    if (!line) return 'NOT_REGISTERED';
    this.holdOthers(null);
    const before = this.#calls.length;
    const withVideo = video && this.config.agent.video.enabled;
    line.ua.call(uri, { ...mediaOptions(this.#settings(), withVideo), extraHeaders: headersFor('INVITE', this.#customHeaders) });
    return this.#calls[before] ?? 'INVALID_TARGET';
  }

  /** holdOthers puts every connected, unheld call except keep on hold. */
  holdOthers(keep: Call | null): void {
    for (const c of this.#calls) if (c !== keep && c.snapshot.status === 'connected' && !c.snapshot.localHold) c.hold();
  }

  /** answer answers call (with video when asked), holding the others first. */
  answer(call: Call, video = false): void {
    this.holdOthers(call);
    call.answer(video);
  }
}
