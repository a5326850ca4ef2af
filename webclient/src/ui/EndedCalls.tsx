import { useEffect, useState } from 'preact/hooks';
import { format } from '../i18n/strings';
import { failureText } from '../sip/failure';
import type { EndedCall } from '../state/workspace';
import { duration, endText } from './CallCard';
import { Icon } from './icons';
import { useStrings } from './i18n';

/** How long an ended call's summary stays when the agent leaves it alone. */
export const endedLingerMs = 6000;

interface Props {
  ended: readonly EndedCall[];
  onDismiss: (id: string) => void;
  lingerMs?: number;
}

/**
 * EndedCalls lists the calls that just ended, one line each: who, how it
 * ended, how long it lasted, and Dismiss. Each leaves on its own after
 * lingerMs; the time stops while the pointer or the focus is on it.
 */
export function EndedCalls({ ended, onDismiss, lingerMs = endedLingerMs }: Props) {
  if (ended.length === 0) return null;
  return (
    <ul class="ended-calls">
      {ended.map((e) => <EndedLine key={e.id} call={e} onDismiss={onDismiss} lingerMs={lingerMs} />)}
    </ul>
  );
}

function EndedLine({ call: e, onDismiss, lingerMs }: { call: EndedCall; onDismiss: (id: string) => void; lingerMs: number }) {
  const t = useStrings();
  const [hover, setHover] = useState(false);
  const [focus, setFocus] = useState(false);
  const held = hover || focus;
  useEffect(() => {
    if (held) return;
    const id = setTimeout(() => onDismiss(e.id), lingerMs);
    return () => clearTimeout(id);
  }, [held, e.id, lingerMs, onDismiss]);
  const how = e.restoreFailed ? t.CALL_RESTORE_FAILED : e.failure ? t[failureText[e.failure]] : e.endReason === 'normal' || e.endReason === 'canceled' ? null : t[endText[e.endReason]];
  return (
    <li
      class={`call-summary end-${e.endReason}`}
      data-testid="call"
      data-status="ended"
      data-call-id={e.id}
      onMouseEnter={() => setHover(true)}
      onMouseLeave={() => setHover(false)}
      onFocusIn={() => setFocus(true)}
      onFocusOut={() => setFocus(false)}
    >
      <span class="call-summary-text" data-testid="call-status">
        <strong>{format(t.CALL_ENDED_SUMMARY, { who: e.who })}</strong>
        {how && ` · ${how}`}
        {e.talked !== null && <> · <time class="call-time">{duration(e.talked)}</time></>}
      </span>
      <button type="button" class="icon-button" aria-label={`${t.DISMISS}: ${format(t.CALL_ENDED_SUMMARY, { who: e.who })}`} title={t.DISMISS}
        onClick={() => onDismiss(e.id)}>
        <Icon name="close" />
      </button>
    </li>
  );
}
