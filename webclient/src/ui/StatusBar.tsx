import type { StringKey } from '../i18n/defaults';
import type { LineSnapshot, RegistrationState } from '../sip/phone';
import { Icon } from './icons';
import { useStrings } from './i18n';

const stateText: Record<RegistrationState, StringKey> = {
  connecting: 'REGISTRATION_CONNECTING',
  registering: 'REGISTRATION_REGISTERING',
  registered: 'REGISTRATION_REGISTERED',
  unregistered: 'REGISTRATION_UNREGISTERED',
  failed: 'REGISTRATION_FAILED',
  disconnected: 'REGISTRATION_DISCONNECTED',
};

interface Props {
  lines: LineSnapshot[];
  user: string | null;
  onSettings: (() => void) | null;
  /** Opens the call history; null when it is hidden. */
  onHistory?: (() => void) | null;
}

/** StatusBar shows the brand, the registration state of every line, and the settings button. */
export function StatusBar({ lines, user, onSettings, onHistory = null }: Props) {
  const t = useStrings();
  return (
    <header class="status-bar">
      <img class="logo logo-wide" src="images/logo.svg" alt={t.APP_TITLE} />
      <img class="logo logo-narrow" src="images/logo-small.svg" alt={t.APP_TITLE} />
      <div class="lines" role="status" aria-live="polite" data-testid="registration">
        {lines.map((l) => (
          <span
            key={l.name}
            class={`line-state state-${l.state}`}
            data-line={l.name}
            data-state={l.state}
            data-server={l.server ?? undefined}
            title={[l.server, l.cause].filter(Boolean).join(' — ')}
          >
            <span class="dot" aria-hidden="true" />
            {l.name === 'backup' ? `${t.REGISTRATION_BACKUP}: ` : user ? `${user}: ` : ''}
            {t[stateText[l.state]]}
          </span>
        ))}
      </div>
      {onHistory && (
        <button type="button" class="icon-button" onClick={onHistory} aria-label={t.HISTORY} title={t.HISTORY}>
          <Icon name="history" />
        </button>
      )}
      {onSettings && (
        <button type="button" class="icon-button" onClick={onSettings} aria-label={t.SETTINGS} title={t.SETTINGS}>
          <Icon name="settings" />
        </button>
      )}
    </header>
  );
}
