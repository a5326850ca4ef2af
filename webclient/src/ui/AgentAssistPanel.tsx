import type { AssistManager } from '../assist/manager';
import type { AssistEntry } from '../assist/history';
import type { Line } from '../assist/session';
import type { Strings } from '../i18n/defaults';
import type { Call } from '../sip/call';
import { useStrings } from './i18n';
import './AgentAssistPanel.css';

function who(t: Strings, l: Line): string {
  switch (l.from) {
    case 'caller': return t.ASSIST_CALLER;
    case 'callee': return t.ASSIST_CALLEE;
    case 'bot': return t.ASSIST_BOT;
    default: return l.participant || t.ASSIST_OTHER;
  }
}

function Lines({ lines }: { lines: readonly Line[] }) {
  const t = useStrings();
  return (
    <ol class="assist-lines">
      {lines.map((l, i) => (
        <li key={i} class={`assist-line from-${l.from}${l.partial ? ' partial' : ''}`} data-from={l.from}>
          <span class="assist-who">{who(t, l)}</span>
          <span class="assist-text">{l.text}</span>
        </li>
      ))}
    </ol>
  );
}

function Past({ entries }: { entries: readonly AssistEntry[] }) {
  const t = useStrings();
  return (
    <details class="assist-history" data-testid="assist-history">
      <summary>{t.ASSIST_HISTORY.replace('{0}', String(entries.length))}</summary>
      {entries.length === 0 ? <p class="hint">{t.ASSIST_HISTORY_EMPTY}</p> : (
        <ul>
          {entries.map((e) => (
            <li key={e.callId} data-testid="assist-history-entry">
              <details>
                <summary>{e.remote} · {new Date(e.startedAt).toLocaleString(document.documentElement.lang || undefined)}</summary>
                <Lines lines={e.lines} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

/**
 * AgentAssistPanel shows, beside the call, the live transcript of the
 * focused call (caller and callee as agentAssistDefaultConversationConfig
 * names them) with the bot's messages, and the recent assist sessions.
 * Renders nothing unless isAgentAssistEnabled is on.
 */
export function AgentAssistPanel({ assist, call }: { assist: AssistManager | null; call: Call | null }) {
  const t = useStrings();
  if (!assist) return null;
  const state = call ? assist.state(call) : null;
  const status = state && {
    connecting: t.ASSIST_CONNECTING,
    active: t.ASSIST_ACTIVE,
    ended: t.ASSIST_ENDED,
    failed: t.ASSIST_FAILED.replace('{0}', state.error in t ? t[state.error as keyof Strings] : state.error),
  }[state.status];
  return (
    <section class="assist-panel" aria-labelledby="assist-title" data-testid="agent-assist">
      <h2 id="assist-title">{t.AGENT_ASSIST}</h2>
      {state && (
        <>
          <p class={`assist-status ${state.status}`} role="status">{status}</p>
          {state.error && state.status === 'connecting' && <p class="hint">{state.error}</p>}
          <Lines lines={state.lines} />
        </>
      )}
      {!state && <p class="hint">{t.ASSIST_IDLE}</p>}
      <Past entries={assist.history} />
    </section>
  );
}
