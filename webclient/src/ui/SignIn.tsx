import { useState } from 'preact/hooks';
import type { ClientConfig } from '../config/options';
import type { Account } from '../sip/phone';
import { useStrings } from './i18n';
import { ServerFields, type ServerDraft } from './ServerFields';

interface Props {
  config: ClientConfig;
  initial: Account | null;
  server: ServerDraft;
  error: string | null;
  onSubmit: (account: Account, server: ServerDraft) => void;
}

/** SignIn asks for the SIP account (sipAccountGUIConfig) and, per guiEnabled, the server settings. */
export function SignIn({ config, initial, server, error, onSubmit }: Props) {
  const t = useStrings();
  const [user, setUser] = useState(initial?.user ?? '');
  const [password, setPassword] = useState(initial?.password ?? '');
  const [displayName, setDisplayName] = useState(initial?.displayName ?? '');
  const [draft, setDraft] = useState(server);
  const [missing, setMissing] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    if (!user.trim() || !password) {
      setMissing(true);
      return;
    }
    onSubmit({ user: user.trim(), password, displayName: displayName.trim() }, draft);
  };
  return (
    <form class="panel sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.SIGN_IN_TITLE}</h1>
      <label>
        {t.SIP_USER}
        <input name="user" value={user} autoComplete="username" autoFocus required spellcheck={false}
          onInput={(e) => setUser(e.currentTarget.value)} />
      </label>
      <label>
        {t.SIP_PASSWORD}
        <input name="password" type="password" value={password} autoComplete="current-password" required
          onInput={(e) => setPassword(e.currentTarget.value)} />
      </label>
      {!config.account.sipDisplayNameHidden && (
        <label>
          {t.SIP_DISPLAY_NAME}
          <input name="displayName" value={displayName} autoComplete="name" readOnly={config.account.sipDisplayNameDisabled}
            onInput={(e) => setDisplayName(e.currentTarget.value)} />
        </label>
      )}
      <ServerFields config={config} draft={draft} onChange={setDraft} />
      {(missing || error) && (
        <p class="error" role="alert">
          {missing ? t.SIGN_IN_MISSING_FIELDS : error}
        </p>
      )}
      <button type="submit" class="primary">
        {t.SIGN_IN}
      </button>
    </form>
  );
}
