import { useState } from 'preact/hooks';
import type { Call } from '../sip/call';
import { CallCard } from './CallCard';
import { useStrings } from './i18n';

interface Props {
  calls: readonly Call[];
  focusedId: string | null;
  alwaysShowFull: boolean;
  now: number;
  videoEnabled: boolean;
  onFocus: (c: Call) => void;
  onAnswer: (c: Call, video?: boolean) => void;
}

/**
 * CallsList shows the calls. With layoutConfig.alwaysShowFullCallsList it
 * always lists every call; otherwise it may collapse to the focused one.
 */
export function CallsList({ calls, focusedId, alwaysShowFull, now, videoEnabled, onFocus, onAnswer }: Props) {
  const t = useStrings();
  const [expanded, setExpanded] = useState(false);
  if (calls.length === 0) return null;
  const focused = calls.find((c) => c.snapshot.id === focusedId) ?? calls[calls.length - 1];
  const showAll = alwaysShowFull || expanded;
  const shown = showAll ? calls : [focused];
  return (
    <section class="calls" aria-label={t.CALLS}>
      {!alwaysShowFull && calls.length > 1 && (
        <button type="button" class="link calls-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t.HIDE_OTHER_CALLS : `${t.SHOW_ALL_CALLS} (${calls.length})`}
        </button>
      )}
      {shown.map((c) => (
        <CallCard
          key={c.snapshot.id}
          call={c}
          snap={c.snapshot}
          now={now}
          focused={c === focused}
          videoEnabled={videoEnabled}
          onAnswer={onAnswer}
          onSelect={calls.length > 1 ? onFocus : null}
        />
      ))}
    </section>
  );
}
