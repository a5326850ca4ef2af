// Agent Assist for the agent's calls: a session starts when a call connects
// and ends with the call, and then joins the user's assist history. No DOM.
import type { Call } from '../sip/call';
import { Emitter } from '../sip/emitter';
import { readSettings, settingsProblem, type AssistConfig } from './config';
import { addAssistEntry, readAssistHistory, writeAssistHistory, type AssistEntry } from './history';
import { AssistSession, type AssistSocket, type SessionState } from './session';

interface Tracked {
  session: AssistSession | null;
  /** A state of our own until there is a session (settings missing, module loading). */
  state: SessionState;
  botName: string;
  startedAt: number;
  ended: boolean;
}

/** sipCallId is the call's SIP Call-ID (JsSIP keeps it on the initial request). */
function sipCallId(call: Call): string {
  const request = (call.session as unknown as { _request?: { call_id?: unknown } })._request;
  return typeof request?.call_id === 'string' ? request.call_id : call.snapshot.id;
}

export class AssistManager extends Emitter<{ change: null }> {
  readonly #cfg: AssistConfig;
  readonly #storage: Storage | null;
  readonly #open: () => Promise<(s: ReturnType<typeof readSettings>) => AssistSocket>;
  readonly #tracked = new Map<Call, Tracked>();
  #user: string | null = null;
  #history: AssistEntry[] = [];

  /** open loads the socket maker (src/assist/connect.ts, with socket.io-client). */
  constructor(cfg: AssistConfig, storage: Storage | null, open: () => Promise<(s: ReturnType<typeof readSettings>) => AssistSocket>) {
    super();
    this.#cfg = cfg;
    this.#storage = storage;
    this.#open = open;
  }

  get history(): readonly AssistEntry[] {
    return this.#history;
  }

  state(call: Call): SessionState | null {
    return this.#tracked.get(call)?.state ?? null;
  }

  /** sync starts sessions for newly connected calls and ends those of ended calls. */
  sync(calls: readonly Call[], user: string | null): void {
    if (user !== this.#user) {
      this.#user = user;
      this.#history = user ? readAssistHistory(this.#storage, user, this.#cfg.maxHistory) : [];
      this.emit('change', null);
    }
    for (const call of calls) {
      const t = this.#tracked.get(call);
      if (!t && call.snapshot.status === 'connected' && user) this.#start(call);
      else if (t && !t.ended && call.snapshot.status === 'ended') this.#end(call, t);
    }
    for (const [call, t] of this.#tracked) {
      if (!calls.includes(call)) {
        if (!t.ended) this.#end(call, t);
        this.#tracked.delete(call);
      }
    }
  }

  #start(call: Call): void {
    const settings = readSettings(this.#storage, this.#cfg);
    const t: Tracked = { session: null, state: { status: 'connecting', error: '', lines: [] }, botName: settings.botName, startedAt: Date.now(), ended: false };
    this.#tracked.set(call, t);
    const problem = settingsProblem(settings);
    if (problem) {
      t.state = { status: 'failed', error: problem, lines: [] };
      this.emit('change', null);
      return;
    }
    const s = call.snapshot;
    const me = this.#user ?? '';
    const info = {
      callId: sipCallId(call),
      caller: s.direction === 'incoming' ? s.remoteUser : me,
      callee: s.direction === 'incoming' ? me : s.remoteUser,
    };
    this.emit('change', null);
    this.#open().then((open) => {
      if (t.ended) return;
      const session = new AssistSession(open(settings), {
        botName: settings.botName, call: info, conversationConfig: this.#cfg.conversationConfig, roles: this.#cfg.roles,
      });
      t.session = session;
      session.on('change', (st) => {
        t.state = st;
        this.emit('change', null);
      });
    }).catch((err: unknown) => {
      t.state = { status: 'failed', error: err instanceof Error ? err.message : String(err), lines: [] };
      this.emit('change', null);
    });
  }

  #end(call: Call, t: Tracked): void {
    t.ended = true;
    t.session?.end();
    t.state = t.session?.state ?? { ...t.state, status: t.state.status === 'failed' ? 'failed' : 'ended' };
    if (this.#user && t.session) {
      const s = call.snapshot;
      const entry: AssistEntry = { callId: sipCallId(call), remote: s.remoteName || s.remoteUser, botName: t.botName, startedAt: t.startedAt, lines: t.state.lines };
      this.#history = addAssistEntry(this.#history, entry, this.#cfg.maxHistory);
      writeAssistHistory(this.#storage, this.#user, this.#history);
    }
    this.emit('change', null);
  }
}
