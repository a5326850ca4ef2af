import { useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Account } from '../sip/phone';
import type { SignInError } from '../state/workspace';
import { useStrings } from './i18n';
import { ServerFields, type ServerDraft } from './ServerFields';

interface Props {
  config: ClientConfig;
  initial: Account | null;
  server: ServerDraft;
  error: SignInError | null;
  /** The form was sent and the phone line has not answered yet. */
  busy?: boolean;
  onSubmit: (account: Account, server: ServerDraft) => void;
}

/**
 * SignIn asks for the SIP account (sipAccountGUIConfig) and, per guiEnabled,
 * the server settings. An error that belongs to a field (a refused password)
 * shows at that field, which is marked invalid and described by it.
 */
export function SignIn({ config, initial, server, error, busy = false, onSubmit }: Props) {
  const t = useStrings();
  const [user, setUser] = useState(initial?.user ?? '');
  const [password, setPassword] = useState(initial?.password ?? '');
  const [displayName, setDisplayName] = useState(initial?.displayName ?? '');
  const [draft, setDraft] = useState(server);
  const [missing, setMissing] = useState(false);
  // A field's error holds until that field changes.
  const [edited, setEdited] = useState<SignInError | null>(null);
  const fieldError = error && error !== edited && error.field ? error : null;
  const submit = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!user.trim() || !password) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setEdited(null);
    onSubmit({ user: user.trim(), password, displayName: displayName.trim() }, draft);
  };
  const invalid = (field: 'user' | 'password', empty: boolean) => (missing && empty) || fieldError?.field === field;
  const describe = (field: 'user' | 'password') => (fieldError?.field === field ? `${field}-error` : undefined);
  return (
    <form class="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-title" aria-busy={busy}>
      <h1 id="sign-in-title">{t.SIGN_IN_TITLE}</h1>
      <label>
        {t.SIP_USER}
        <input name="user" value={user} autoComplete="username" autoFocus required spellcheck={false}
          aria-invalid={invalid('user', !user.trim())} aria-describedby={describe('user')}
          onInput={(e) => { setUser(e.currentTarget.value); if (fieldError?.field === 'user') setEdited(error); }} />
      </label>
      {fieldError?.field === 'user' && <p class="field-error" id="user-error" role="alert">{fieldError.text}</p>}
      <label>
        {t.SIP_PASSWORD}
        <input name="password" type="password" value={password} autoComplete="current-password" required
          aria-invalid={invalid('password', !password)} aria-describedby={describe('password')}
          onInput={(e) => { setPassword(e.currentTarget.value); if (fieldError?.field === 'password') setEdited(error); }} />
      </label>
      {fieldError?.field === 'password' && <p class="field-error" id="password-error" role="alert">{fieldError.text}</p>}
      {!config.account.sipDisplayNameHidden && (
        <label>
          {t.SIP_DISPLAY_NAME}
          <input name="displayName" value={displayName} autoComplete="name" readOnly={config.account.sipDisplayNameDisabled}
            onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
      )}
      <ServerFields config={config} draft={draft} onChange={setDraft} />
      {(missing || (error && !error.field)) && (
        <p class="error" role="alert">
          {missing ? t.SIGN_IN_MISSING_FIELDS : error?.text}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t.SIGN_IN_BUSY : t.SIGN_IN}
      </button>
      {busy && <p class="hint" role="status">{t.CONNECTION_STARTING}</p>}
    </form>
  );
}
