// One Agent Assist session: the bot listening to one call, over the Agent
// Assist service's socket.io API. No DOM, and no socket.io import here: the
// socket is passed in (src/assist/connect.ts makes it, loaded on demand).
//
// What the vendor documents publicly (VoiceAI Connect "Agent assist API"):
// the client opens a socket.io connection to the service with the service
// path (agentAssistDefaultServicePath, e.g. "/agentAssist/socket.io") and a
// token in the query (`io(url, { path, query: { token } })`), then emits
// events and listens to the server's; each outgoing event carries an
// acknowledgement callback. Transcript messages name the speaking
// participant ("participant", "participant-2": the manual's defaultRoles).
//
// What the public documentation does not show, and is assumed here (one
// place to change, see `events`): the event names and payloads below.
//   client -> service  "conversation.start"  {botName, callId, caller, callee, conversationConfig}
//                      ack {success: boolean, conversationId?: string, error?: string}
//   client -> service  "conversation.end"    {conversationId}
//   service -> client  "conversation.transcript" {conversationId, participant, text, final?: boolean}
//   service -> client  "conversation.activity"   {conversationId, type: "message", text}  (the bot's message)
//   service -> client  "conversation.ended"      {conversationId, reason?: string}
import { Emitter } from '../sip/emitter';
import type { Roles } from './config';

export const events = {
  start: 'conversation.start',
  end: 'conversation.end',
  transcript: 'conversation.transcript',
  activity: 'conversation.activity',
  ended: 'conversation.ended',
} as const;

/** The part of a socket.io client socket a session uses. */
export interface AssistSocket {
  on(event: string, fn: (...args: never[]) => void): unknown;
  emit(event: string, ...args: unknown[]): unknown;
  disconnect(): unknown;
  /** false once socket.io gave up reconnecting (e.g. the service refused the token). */
  readonly active?: boolean;
}

export interface Line {
  /** Who said it: the call's caller or callee (by defaultRoles), the bot, or another participant. */
  from: 'caller' | 'callee' | 'bot' | 'other';
  /** The participant name the service gave, for "other". */
  participant?: string;
  text: string;
  /** ms since epoch. */
  at: number;
  /** A transcript line still being recognized (replaced by the next one from the same speaker). */
  partial?: boolean;
}

export type Status = 'connecting' | 'active' | 'ended' | 'failed';

export interface SessionState {
  status: Status;
  /** Why the service refused or dropped the session. */
  error: string;
  lines: Line[];
}

export interface CallInfo {
  /** The SIP Call-ID, which the service finds the recorded call by. */
  callId: string;
  caller: string;
  callee: string;
}

const maxLines = 500;

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** roleOf tells whose line a transcript message is by its participant name. */
export function roleOf(participant: string, roles: Roles): Line['from'] {
  if (participant === roles.caller) return 'caller';
  if (participant === roles.callee) return 'callee';
  return 'other';
}

/** addLine appends a line; a partial line replaces the last partial one of the same speaker. */
export function addLine(lines: readonly Line[], l: Line): Line[] {
  let i = lines.length - 1;
  while (i >= 0 && !(lines[i].partial && lines[i].from === l.from && lines[i].participant === l.participant)) i--;
  const next = i >= 0 ? [...lines.slice(0, i), ...lines.slice(i + 1), l] : [...lines, l];
  return next.slice(-maxLines);
}

export class AssistSession extends Emitter<{ change: SessionState }> {
  #state: SessionState = { status: 'connecting', error: '', lines: [] };
  #conversationId = '';
  readonly #socket: AssistSocket;
  readonly #roles: Roles;
  readonly #now: () => number;

  constructor(socket: AssistSocket, request: { botName: string; call: CallInfo; conversationConfig: Obj; roles: Roles }, now = Date.now) {
    super();
    this.#socket = socket;
    this.#roles = request.roles;
    this.#now = now;
    const mine = (p: Obj) => !this.#conversationId || p.conversationId === undefined || p.conversationId === this.#conversationId;
    socket.on(events.transcript, (payload: unknown) => {
      const p = obj(payload);
      if (!mine(p) || typeof p.text !== 'string' || !p.text.trim()) return;
      const participant = typeof p.participant === 'string' ? p.participant : '';
      const from = roleOf(participant, this.#roles);
      this.#add({ from, ...(from === 'other' ? { participant } : {}), text: p.text.trim(), at: this.#now(), ...(p.final === false ? { partial: true } : {}) });
    });
    socket.on(events.activity, (payload: unknown) => {
      const p = obj(payload);
      if (!mine(p) || (p.type !== undefined && p.type !== 'message') || typeof p.text !== 'string' || !p.text.trim()) return;
      this.#add({ from: 'bot', text: p.text.trim(), at: this.#now() });
    });
    socket.on(events.ended, (payload: unknown) => {
      if (!mine(obj(payload))) return;
      this.#set({ status: 'ended' });
      socket.disconnect();
    });
    socket.on('connect_error', (err: unknown) => {
      if (this.#state.status !== 'connecting') return;
      const error = err instanceof Error ? err.message : String(err);
      // socket.io retries by itself, except when the service refused the
      // connection (a wrong token): then it is over.
      this.#set(socket.active === false ? { status: 'failed', error } : { error });
    });
    // On every connection, a reconnection too: the service may have lost
    // the session with the socket, so the bot is requested again.
    socket.on('connect', () => {
      if (this.#state.status !== 'connecting' && this.#state.status !== 'active') return;
      socket.emit(events.start, {
        botName: request.botName,
        callId: request.call.callId,
        caller: request.call.caller,
        callee: request.call.callee,
        conversationConfig: request.conversationConfig,
      }, (ack: unknown) => {
        const a = obj(ack);
        if (this.#state.status !== 'connecting' && this.#state.status !== 'active') return;
        if (a.success === true) {
          this.#conversationId = typeof a.conversationId === 'string' ? a.conversationId : '';
          this.#set({ status: 'active', error: '' });
        } else {
          this.#set({ status: 'failed', error: typeof a.error === 'string' ? a.error : 'refused' });
          socket.disconnect();
        }
      });
    });
  }

  get state(): SessionState {
    return this.#state;
  }

  #set(patch: Partial<SessionState>): void {
    this.#state = { ...this.#state, ...patch };
    this.emit('change', this.#state);
  }

  #add(l: Line): void {
    if (this.#state.status === 'ended' || this.#state.status === 'failed') return;
    this.#set({ lines: addLine(this.#state.lines, l) });
  }

  /** end asks the service to stop the bot (the call ended) and closes the socket. */
  end(): void {
    if (this.#state.status === 'ended') return;
    const done = () => this.#socket.disconnect();
    if (this.#state.status === 'active') {
      this.#socket.emit(events.end, { conversationId: this.#conversationId }, done);
      // The acknowledgement may never come: close anyway soon.
      setTimeout(done, 2000);
    } else {
      done();
    }
    this.#set({ status: 'ended', lines: this.#state.lines.filter((l) => !l.partial) });
  }
}
