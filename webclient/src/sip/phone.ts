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

export type LineName = 'main' | 'backup';
export type RegistrationState = 'connecting' | 'registering' | 'registered' | 'unregistered' | 'failed' | 'disconnected';

export interface LineSnapshot {
  name: LineName;
  state: RegistrationState;
  /** The SBC address of the current or last connection. */
  server: string | null;
  /** Failure cause (JsSIP cause text) when state is failed or disconnected. */
  cause: string | null;
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
    const line: Line = { name, ua, auth, retry: null, snap: { name, state: 'connecting', server: null, cause: null } };
    const set = (patch: Partial<LineSnapshot>) => {
      line.snap = { ...line.snap, ...patch };
      this.#changed();
    };
    ua.on('connecting', () => set({ state: 'connecting' }));
    ua.on('connected', (e) => set({ state: 'registering', server: e.socket.url, cause: null }));
    ua.on('disconnected', (e) => {
      if (!this.#stopped) set({ state: 'disconnected', server: e.socket?.url ?? line.snap.server, cause: e.reason || null });
    });
    ua.on('registered', () => {
      this.account.auth?.registered();
      set({ state: 'registered', cause: null });
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
    line.retry = setTimeout(() => {
      line.retry = null;
      if (!this.#stopped && line.ua.isConnected() && !line.ua.isRegistered()) line.ua.register();
    }, this.config.reconnectIntervalMax * 1000);
  }

  #onSession(session: RTCSession, line: LineName, invite: IncomingRequest | null): void {
    const incoming = invite !== null;
    const acd = this.config.agent.acd;
    if (incoming && acd.enabled && !this.#agent.ready) {
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
    let autoAnswer: ReturnType<typeof setTimeout> | null = null;
    call.on('ended', (snap) => {
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
