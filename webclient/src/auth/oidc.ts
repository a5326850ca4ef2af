// Sign-in to one OpenID Connect provider through oidc-client-ts:
// authorization code flow with PKCE (S256), a random state (checked against
// the sign-in this browser started) and a random nonce (checked against the
// id token). This module is loaded only when providers are configured.
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User, type UserManagerSettings } from 'oidc-client-ts';
import { needsUserInfo, sipCredentials, type SipCredentials } from './claims';
import type { OIDCProvider } from './providers';

export interface Storages {
  local: Storage | null;
  session: Storage | null;
}

/** randomToken is 32 random bytes, base64url. */
export function randomToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Clock skew allowed on the id token's exp and iat, in seconds. */
const leeway = 60;

/**
 * checkIdToken checks what oidc-client-ts leaves to the application (it
 * checks state, nonce and sub): the id token's issuer, audience, authorized
 * party and expiry (OpenID Connect Core 3.1.3.7). The token came straight
 * from the token endpoint over TLS, which stands in for its signature
 * (3.1.3.7 step 6). Returns the problem, or null.
 */
export function checkIdToken(claims: Record<string, unknown>, issuer: string, clientId: string, nowSeconds: number): string | null {
  const trim = (s: unknown) => (typeof s === 'string' ? s.replace(/\/+$/, '') : s);
  if (trim(claims.iss) !== trim(issuer)) return `id token issuer is ${JSON.stringify(claims.iss)}, want ${JSON.stringify(issuer)}`;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(clientId)) return `id token audience ${JSON.stringify(claims.aud)} does not include ${JSON.stringify(clientId)}`;
  if ((aud.length > 1 || claims.azp !== undefined) && claims.azp !== clientId) return `id token azp is ${JSON.stringify(claims.azp)}, want ${JSON.stringify(clientId)}`;
  if (typeof claims.exp !== 'number' || claims.exp + leeway < nowSeconds) return 'id token has expired';
  if (typeof claims.iat === 'number' && claims.iat - leeway > nowSeconds) return 'id token is issued in the future';
  return null;
}

/**
 * managerSettings turns a provider into oidc-client-ts settings. Tokens go
 * to cacheLocation (memoryStorage: this page only); the sign-in state must
 * survive the trip to the provider, so it lives in sessionStorage.
 */
export function managerSettings(p: OIDCProvider, s: Storages): UserManagerSettings {
  const memory = new InMemoryWebStorage();
  const userStore = p.cacheLocation === 'localStorage' ? s.local : p.cacheLocation === 'sessionStorage' ? s.session : null;
  return {
    authority: p.issuer,
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    post_logout_redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: p.scopes.join(' '),
    userStore: new WebStorageStateStore({ prefix: 'softphone.oidc.', store: userStore ?? memory }),
    stateStore: new WebStorageStateStore({ prefix: 'softphone.oidc.', store: s.session ?? memory }),
    // The user-info document is fetched from endpointUrl + userInfoUrlRelativePath below.
    loadUserInfo: false,
    automaticSilentRenew: true,
    monitorSession: false,
    ...(p.revocationUrl ? { metadataSeed: { revocation_endpoint: p.revocationUrl } } : {}),
  };
}

export class OIDCSession {
  readonly provider: OIDCProvider;
  readonly manager: UserManager;
  #userInfo: unknown = null;

  constructor(provider: OIDCProvider, storages: Storages) {
    this.provider = provider;
    this.manager = new UserManager(managerSettings(provider, storages));
    this.manager.events.addSilentRenewError((err) => console.warn(`${provider.name}: token renewal failed`, err));
  }

  /** user is the cached sign-in, or null when there is none or it expired without a refresh token. */
  async user(): Promise<User | null> {
    const u = await this.manager.getUser();
    if (!u) return null;
    if (u.expired && !u.refresh_token) return null;
    if (u.expired) return this.refresh();
    return u;
  }

  /**
   * signIn leaves the page for the provider's sign-in. forceLogin asks the
   * provider for its login form even when it has a session
   * (forceLoginPromptOnEmptyCache).
   */
  async signIn(forceLogin: boolean): Promise<void> {
    await this.manager.signinRedirect({ nonce: randomToken(), ...(forceLogin ? { prompt: 'login' } : {}) });
  }

  /** completeSignIn handles the provider's redirect back (code and state in url). */
  async completeSignIn(url: string): Promise<User> {
    this.#userInfo = null;
    // RFC 9207: a provider that names itself in the response must be the one asked.
    const iss = new URL(url).searchParams.get('iss');
    if (iss !== null && iss.replace(/\/+$/, '') !== this.provider.issuer.replace(/\/+$/, '')) {
      throw new Error(`the response comes from issuer ${JSON.stringify(iss)}, want ${JSON.stringify(this.provider.issuer)}`);
    }
    const user = await this.manager.signinRedirectCallback(url);
    await this.#check(user, Date.now() / 1000);
    return user;
  }

  // now: the time the id token must be valid at; null skips the times (a
  // refresh response may keep the first id token, whose time has passed).
  async #check(user: User, now: number | null): Promise<void> {
    const claims = user.profile as unknown as Record<string, unknown>;
    // Entra ID's multi-tenant authorities (common, organizations) publish
    // the issuer as a template: https://login.microsoftonline.com/{tenantid}/v2.0.
    const issuer = (await this.manager.metadataService.getIssuer()).replace('{tenantid}', typeof claims.tid === 'string' ? claims.tid : '{tenantid}');
    const problem = checkIdToken(now === null ? { ...claims, exp: Number.MAX_SAFE_INTEGER, iat: 0 } : claims, issuer, this.provider.clientId, now ?? 0);
    if (problem) {
      await this.manager.removeUser();
      throw new Error(problem);
    }
  }

  /** refresh renews the tokens with the refresh token; null when the provider refuses. */
  async refresh(): Promise<User | null> {
    try {
      this.#userInfo = null;
      const user = await this.manager.signinSilent();
      if (user) await this.#check(user, null);
      return user;
    } catch (err) {
      console.warn(`${this.provider.name}: refreshing the sign-in failed`, err);
      return null;
    }
  }

  /** credentials reads the SIP account from the id token, and from the user-info document if needed. */
  async credentials(user: User): Promise<SipCredentials | null> {
    const docs: unknown[] = [user.profile];
    if (needsUserInfo(this.provider, user.profile)) docs.push(await this.#fetchUserInfo(user));
    return sipCredentials(this.provider, docs);
  }

  async #fetchUserInfo(user: User): Promise<unknown> {
    if (this.#userInfo) return this.#userInfo;
    const get = async (url: string) => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${user.access_token}`, Accept: 'application/json' } });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
      return res.json() as Promise<unknown>;
    };
    try {
      this.#userInfo = await get(this.provider.userInfoUrl);
    } catch (err) {
      // The OIDC default path (openid-connect/userinfo) fits Keycloak; other
      // providers name their user-info endpoint in the discovery document.
      const discovered = await this.manager.metadataService.getUserInfoEndpoint().catch(() => null);
      if (!discovered || discovered === this.provider.userInfoUrl) throw err;
      this.#userInfo = await get(discovered);
    }
    return this.#userInfo;
  }

  /** signOut revokes the tokens (tokenRevocationRelativePath) and forgets the sign-in. */
  async signOut(): Promise<User | null> {
    const user = await this.manager.getUser();
    if (user && this.provider.revocationUrl) {
      await this.manager.revokeTokens(['access_token', 'refresh_token']).catch((err) => console.warn(`${this.provider.name}: token revocation failed`, err));
    }
    this.manager.stopSilentRenew();
    await this.manager.removeUser();
    this.#userInfo = null;
    return user;
  }
}
