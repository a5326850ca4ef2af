// Sign-in with identity providers in the UI: the mandatory provider's
// sign-in screen, the provider buttons below the SIP sign-in form, and the
// providers list in Account Settings. These components do not load the
// sign-in code; they talk to an AuthController.
import { useEffect, useState } from 'preact/hooks';
import { defaultStrings } from '../i18n/defaults';
import { useStrings } from '../ui/i18n';
import type { AuthController, AuthSnapshot } from './types';

// Texts of this feature: defined with every other UI text in
// i18n/defaults.ts, so strings-default.json carries and may override them.
type Key = Extract<keyof typeof defaultStrings, `AUTH_${string}`>;

function useText(): (key: Key, arg?: string) => string {
  const t = useStrings() as unknown as Record<string, string | undefined>;
  return (key, arg = '') => (t[key] || defaultStrings[key]).replace('{0}', arg);
}

/** useAuth follows the controller's snapshot; null without sign-in providers. */
export function useAuth(auth: AuthController | null): AuthSnapshot | null {
  const [snap, setSnap] = useState(auth?.snapshot ?? null);
  useEffect(() => {
    if (!auth) return;
    setSnap(auth.snapshot);
    return auth.subscribe(setSnap);
  }, [auth]);
  return snap;
}

interface Props {
  auth: AuthController;
  snap: AuthSnapshot;
}

/** MandatorySignIn is all the page shows until the user signed in to mandatoryProviderLoginName. */
export function MandatorySignIn({ auth, snap }: Props) {
  const tx = useText();
  const name = snap.mandatory?.name ?? '';
  return (
    <section class="panel sign-in" aria-labelledby="mandatory-title" data-testid="mandatory-sign-in">
      <h1 id="mandatory-title">{tx('AUTH_MANDATORY_TITLE')}</h1>
      <p>{tx('AUTH_MANDATORY_TEXT', name)}</p>
      {snap.error && <p class="error" role="alert">{snap.error}</p>}
      <button type="button" class="primary" onClick={() => auth.signIn(name)}>{tx('AUTH_SIGN_IN_WITH', name)}</button>
    </section>
  );
}

/** ProviderSignIn offers the providers beside the SIP user and password form. */
export function ProviderSignIn({ auth, snap }: Props) {
  const tx = useText();
  if (snap.providers.length === 0) return null;
  return (
    <section class="panel provider-sign-in" aria-label={tx('AUTH_PROVIDERS')}>
      <p>{tx('AUTH_OR')}</p>
      {snap.error && <p class="error" role="alert">{snap.error}</p>}
      {snap.providers.map((p) => (
        <button key={p.name} type="button" onClick={() => auth.signIn(p.name)}>{tx('AUTH_SIGN_IN_WITH', p.name)}</button>
      ))}
    </section>
  );
}

interface ListProps extends Props {
  /** A call is live: leaving the page to sign in would end it. */
  busy: boolean;
}

/** ProviderList is the providers list of Account Settings. */
export function ProviderList({ auth, snap, busy }: ListProps) {
  const tx = useText();
  if (snap.providers.length === 0) return null;
  return (
    <fieldset class="providers" data-testid="auth-providers">
      <legend>{tx('AUTH_PROVIDERS')}</legend>
      {snap.error && <p class="error" role="alert">{snap.error}</p>}
      {snap.reloginNeeded && <p class="error" role="alert">{tx('AUTH_RELOGIN')}</p>}
      <ul>
        {snap.providers.map((p) => (
          <li key={p.name} data-provider={p.name} data-signed-in={String(p.signedIn)} data-sip={String(p.sip)}>
            <span>{p.name}</span>
            <span class="hint">{p.sip ? tx('AUTH_SIP_ACCOUNT') : p.signedIn ? tx('AUTH_SIGNED_IN') : tx('AUTH_NOT_SIGNED_IN')}</span>
            {(!p.sip || snap.reloginNeeded) && (
              <button type="button" disabled={busy} onClick={() => auth.signIn(p.name)}>{tx('AUTH_SIGN_IN_WITH', p.name)}</button>
            )}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
