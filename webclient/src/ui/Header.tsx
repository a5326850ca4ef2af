import type { ComponentChildren } from 'preact';
import type { StringKey } from '../i18n/defaults';
import { format } from '../i18n/strings';
import type { Connection } from '../state/connection';
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

export interface Identity {
  user: string;
  displayName: string;
  sipDomain: string;
}

interface Props {
  identity: Identity | null;
  lines: readonly LineSnapshot[];
  connection: Connection;
  /** The ready / not-ready control (AgentState), when ACD is on. */
  agent?: ComponentChildren;
  onSettings: (() => void) | null;
  /** Opens the call history; null when it is hidden. */
  onHistory?: (() => void) | null;
}

/**
 * Header says who is signed in and whether the phone works: the brand, the
 * agent's identity, the registration state of every line (red when no line
 * works), the ready / not-ready control, history and settings.
 */
export function Header({ identity, lines, connection, agent, onSettings, onHistory = null }: Props) {
  const t = useStrings();
  return (
    <header class={`app-header conn-${connection.kind}`}>
      <img class="logo logo-wide" src="images/logo.svg" alt={t.APP_TITLE} />
      <img class="logo logo-narrow" src="images/logo-small.svg" alt={t.APP_TITLE} />
      {identity && (
        <p class="identity" title={format(t.SIGNED_IN_AS, { user: `${identity.user}@${identity.sipDomain}` })}>
          <span class="identity-name">{identity.displayName || identity.user}</span>
          <span class="identity-uri">{identity.user}@{identity.sipDomain}</span>
        </p>
      )}
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
            {l.name === 'backup' ? `${t.REGISTRATION_BACKUP}: ` : ''}
            {t[stateText[l.state]]}
          </span>
        ))}
      </div>
      {agent}
      <div class="header-actions">
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
      </div>
    </header>
  );
}
