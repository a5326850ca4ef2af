import type { StringKey } from '../i18n/defaults';
import { useStrings } from './i18n';

/** The keys useShortcuts handles, as the UI lists them. */
export const shortcutList: [string[], StringKey][] = [
  [['Alt', 'A'], 'SHORTCUT_ANSWER'],
  [['Alt', 'H'], 'SHORTCUT_HANG_UP'],
  [['Alt', 'O'], 'SHORTCUT_HOLD'],
  [['Alt', 'M'], 'SHORTCUT_MUTE'],
  [['Alt', 'D'], 'SHORTCUT_DIAL'],
  [['0–9', '*', '#'], 'SHORTCUT_DIGITS'],
];

/** Shortcuts lists the keyboard shortcuts; the agent may fold the list away. */
export function Shortcuts() {
  const t = useStrings();
  return (
    <details class="side-section shortcuts" open>
      <summary>{t.SHORTCUTS}</summary>
      <dl>
        {shortcutList.map(([keys, what]) => (
          <div key={what}>
            <dt>{keys.map((k, i) => <span key={k}>{i > 0 && (keys[0] === 'Alt' ? '+' : ' ')}<kbd>{k}</kbd></span>)}</dt>
            <dd>{t[what]}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
