import type { AgentConfig } from '../config/agent';
import { format } from '../i18n/strings';
import type { AgentState as State } from '../sip/phone';
import { useStrings } from './i18n';

interface Props {
  acd: AgentConfig['acd'];
  state: State;
  onChange: (s: State) => void;
}

/**
 * AgentState is the ready / not-ready selector (ACDClientConfig): Ready, then
 * one entry per notReadyReasonCodeMapping code. A code outside the mapping
 * (the default one, or one stored earlier) is listed as it is.
 */
export function AgentState({ acd, state, onChange }: Props) {
  const t = useStrings();
  const reasons = [...acd.reasons];
  if (!state.ready && state.reasonCode !== null && !reasons.some((r) => r.code === state.reasonCode)) {
    reasons.push({ code: state.reasonCode, text: state.reasonCode });
  }
  const value = state.ready ? '' : `nr:${state.reasonCode ?? ''}`;
  return (
    <label class={`agent-state ${state.ready ? 'ready' : 'not-ready'}`} data-testid="agent-state" data-ready={String(state.ready)} data-reason={state.reasonCode ?? undefined}>
      <span class="dot" aria-hidden="true" />
      <span class="agent-state-label">{t.AGENT_STATE}</span>
      <select
        value={value}
        onChange={(e) => {
          const v = e.currentTarget.value;
          onChange(v === '' ? { ready: true, reasonCode: null } : { ready: false, reasonCode: v.slice(3) });
        }}
      >
        <option value="">{t.AGENT_READY}</option>
        {reasons.map((r) => (
          <option key={r.code} value={`nr:${r.code}`}>{format(t.AGENT_NOT_READY_REASON, { reason: r.text })}</option>
        ))}
        {reasons.length === 0 && <option value={`nr:${acd.notReadyDefaultReasonCode}`}>{t.AGENT_NOT_READY}</option>}
      </select>
    </label>
  );
}
