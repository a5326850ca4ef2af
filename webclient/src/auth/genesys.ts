// Sign-in to Genesys Cloud as the mandatory provider: the OAuth implicit
// grant that Genesys Cloud offers browser clients
// (https://login.<environment>/oauth/authorize, response_type=token). The
// token comes back in the URL fragment with the state this browser sent,
// which must match. The token is kept in sessionStorage until it expires.
import type { GenesysProvider } from './providers';
import { randomToken } from './oidc';

const stateKey = 'softphone.genesys.state';
const tokenKey = 'softphone.genesys.token';

interface Token {
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export class GenesysSession {
  readonly provider: GenesysProvider;
  readonly #store: Storage | null;

  constructor(provider: GenesysProvider, store: Storage | null) {
    this.provider = provider;
    this.#store = store;
  }

  #token(): Token | null {
    try {
      const t = JSON.parse(this.#store?.getItem(tokenKey) ?? 'null') as Partial<Token> | null;
      if (!t || typeof t.accessToken !== 'string' || typeof t.expiresAt !== 'number') return null;
      return t.expiresAt > Date.now() ? (t as Token) : null;
    } catch {
      return null;
    }
  }

  signedIn(): boolean {
    return this.#token() !== null;
  }

  signIn(): void {
    const state = randomToken();
    this.#store?.setItem(stateKey, state);
    const u = new URL(`https://login.${this.provider.environment}/oauth/authorize`);
    u.searchParams.set('client_id', this.provider.clientId);
    u.searchParams.set('response_type', 'token');
    u.searchParams.set('redirect_uri', this.provider.redirectUri);
    u.searchParams.set('state', state);
    window.location.assign(u.toString());
  }

  /**
   * completeSignIn reads the fragment of the URL Genesys Cloud sent the
   * browser back to. It returns false when the fragment is not a response
   * to this browser's sign-in (the state differs or none was started).
   */
  completeSignIn(fragment: string, now = Date.now()): boolean {
    const p = new URLSearchParams(fragment.replace(/^#/, ''));
    const expected = this.#store?.getItem(stateKey) ?? null;
    this.#store?.removeItem(stateKey);
    const token = p.get('access_token');
    if (!expected || p.get('state') !== expected || !token) return false;
    const seconds = Number(p.get('expires_in') ?? '');
    const expiresAt = now + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
    this.#store?.setItem(tokenKey, JSON.stringify({ accessToken: token, expiresAt }));
    return true;
  }

  signOut(): void {
    this.#store?.removeItem(tokenKey);
  }
}
