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
 * CallsList shows the live calls: the focused one with its controls, the
 * others (held, waiting) under it as one line each with a switch button.
 * With layoutConfig.alwaysShowFullCallsList every call shows its details;
 * otherwise the agent expands or collapses the others. Ended calls are not
 * here: EndedCalls sums them up.
 */
export function CallsList({ calls, focusedId, alwaysShowFull, now, videoEnabled, onFocus, onAnswer }: Props) {
  const t = useStrings();
  const [expanded, setExpanded] = useState(false);
  const live = calls.filter((c) => c.snapshot.status !== 'ended');
  if (live.length === 0) return null;
  const focused = live.find((c) => c.snapshot.id === focusedId) ?? live[live.length - 1];
  const full = alwaysShowFull || expanded;
  const others = live.filter((c) => c !== focused);
  return (
    <div class="calls">
      {[focused, ...others].map((c) => (
        <CallCard
          key={c.snapshot.id}
          call={c}
          snap={c.snapshot}
          now={now}
          focused={c === focused}
          videoEnabled={videoEnabled}
          onAnswer={onAnswer}
          onSelect={live.length > 1 ? onFocus : null}
          compact={c !== focused && !full}
        />
      ))}
      {!alwaysShowFull && others.length > 0 && (
        <button type="button" class="link calls-toggle" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? t.HIDE_OTHER_CALLS : `${t.SHOW_ALL_CALLS} (${live.length})`}
        </button>
      )}
    </div>
  );
}
