import type { ComponentChildren } from 'preact';
import type { Call } from '../sip/call';
import type { HistoryEntry } from '../storage/history';
import { HistoryList } from './History';
import { useStrings } from './i18n';
import { Shortcuts } from './Shortcuts';
import { callFeatures } from './slots';

/** How many calls the side panel's history shows; "All calls" opens the rest. */
export const recentCalls = 5;

interface Props {
  /** The focused live call, whose feature panels (slots.ts callFeatures) show first. */
  focused: Call | null;
  /** null when the history is hidden (history guiEnabled false). */
  history: readonly HistoryEntry[] | null;
  locale: string;
  onRedial: ((target: string) => void) | null;
  onAllCalls: () => void;
  /** Panels that are not per-call slots (Agent Assist, whose sessions outlive a call). */
  children?: ComponentChildren;
}

/**
 * SidePanel is the column beside the calls (under them in a narrow window):
 * the focused call's features, the recent calls and the keyboard shortcuts.
 */
export function SidePanel({ focused, history, locale, onRedial, onAllCalls, children }: Props) {
  const t = useStrings();
  return (
    <aside class="side-panel" aria-label={t.WORKSPACE_SIDE}>
      {focused && callFeatures.length > 0 && (
        <div class="call-features" data-testid="call-features">
          {callFeatures.map((Feature, i) => <Feature key={i} call={focused} snap={focused.snapshot} />)}
        </div>
      )}
      {children}
      {history && (
        <section class="side-section recent" aria-labelledby="recent-title">
          <div class="side-head">
            <h2 id="recent-title">{t.HISTORY_RECENT}</h2>
            {history.length > recentCalls && (
              <button type="button" class="link" onClick={onAllCalls}>{t.HISTORY_ALL}</button>
            )}
          </div>
          <HistoryList entries={history.slice(0, recentCalls)} locale={locale} onRedial={onRedial} />
        </section>
      )}
      <Shortcuts />
    </aside>
  );
}
