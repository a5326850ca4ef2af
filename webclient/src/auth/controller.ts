// The sign-in controller: one session per provider, the provider's answer
// when the page is loaded back from it, the SIP account from the provider
// signed in to last, and sign-out. Loaded with import() only when
// authProvidersConfig has providers, so oidc-client-ts stays out of the
// initial load.
import type { User } from 'oidc-client-ts';
import type { ClientConfig } from '../config/options';
import type { Account, AccountAuth } from '../sip/phone';
import { GenesysSession } from './genesys';
import { OIDCSession, type Storages } from './oidc';
import { readAuthConfig, type AuthConfig } from './providers';
import { SipAuthRetry } from './retry';
import type { AuthController, AuthSnapshot } from './types';

/** sessionStorage: the provider a sign-in in progress went to. */
const pendingKey = 'softphone.auth.pending';
/** storageConfig.location: the provider that supplies the SIP account. */
const sipKey = 'softphone.auth.sip';

function storage(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

/** isSignInResponse tells whether a URL carries an authorization response (code or error, and state). */
export function isSignInResponse(url: URL): boolean {
  const q = url.searchParams;
  return q.has('state') && (q.has('code') || q.has('error'));
}

class Controller implements AuthController {
  readonly #cfg: AuthConfig;
  readonly #oidc = new Map<string, OIDCSession>();
  readonly #genesys: GenesysSession | null;
  readonly #storages: Storages;
  readonly #prefs: Storage | null;
  readonly #listeners = new Set<(s: AuthSnapshot) => void>();
  readonly #users = new Map<string, User>();
  #snapshot: AuthSnapshot;
  #sip: { name: string; retry: SipAuthRetry; account: Account } | null = null;

  constructor(cfg: AuthConfig, config: ClientConfig) {
    this.#cfg = cfg;
    this.#storages = { local: storage('localStorage'), session: storage('sessionStorage') };
    this.#prefs = config.storageLocation === 'sessionStorage' ? this.#storages.session : this.#storages.local;
    for (const p of cfg.providers) {
      const s = new OIDCSession(p, this.#storages);
      s.manager.events.addUserLoaded((u) => this.#loaded(p.name, u));
      s.manager.events.addUserUnloaded(() => this.#unloaded(p.name));
      this.#oidc.set(p.name, s);
    }
    this.#genesys = cfg.mandatory?.kind === 'genesys' ? new GenesysSession(cfg.mandatory, this.#storages.session) : null;
    this.#snapshot = { providers: [], mandatory: null, account: null, error: null, reloginNeeded: false };
  }

  get snapshot(): AuthSnapshot {
    return this.#snapshot;
  }

  subscribe(fn: (s: AuthSnapshot) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #publish(patch: Partial<AuthSnapshot> = {}): void {
    const sipName = this.#sip?.name ?? null;
    const mandatory = this.#cfg.mandatory;
    this.#snapshot = {
      ...this.#snapshot,
      providers: this.#cfg.providers.map((p) => ({ name: p.name, signedIn: this.#users.has(p.name), sip: p.name === sipName })),
      mandatory: mandatory && {
        name: mandatory.name,
        signedIn: mandatory.kind === 'genesys' ? !!this.#genesys?.signedIn() : this.#users.has(mandatory.name),
      },
      account: this.#sip?.account ?? null,
      ...patch,
    };
    for (const fn of [...this.#listeners]) fn(this.#snapshot);
  }

  /** start completes a sign-in the page came back from and loads the cached sign-ins. */
  async start(): Promise<void> {
    const url = new URL(window.location.href);
    let error: string | null = null;
    let justSignedIn: string | null = null;
    if (isSignInResponse(url)) {
      const pending = this.#storages.session?.getItem(pendingKey) ?? null;
      this.#storages.session?.removeItem(pendingKey);
      const s = pending ? this.#oidc.get(pending) : undefined;
      try {
        if (!s) throw new Error('no sign-in was started in this browser');
        if (url.searchParams.has('error')) {
          throw new Error(url.searchParams.get('error_description') || url.searchParams.get('error') || 'refused');
        }
        await s.completeSignIn(url.toString());
        justSignedIn = s.provider.name;
      } catch (err) {
        error = `${pending ?? 'Sign-in'}: ${err instanceof Error ? err.message : String(err)}`;
      }
      // The code and state are used up: keep them out of the address bar and history.
      for (const k of ['code', 'state', 'session_state', 'iss', 'error', 'error_description', 'error_uri']) url.searchParams.delete(k);
      window.history.replaceState(window.history.state, '', url.toString());
    } else if (this.#genesys && /(^#|&)access_token=/.test(url.hash)) {
      if (!this.#genesys.completeSignIn(url.hash)) error = `${this.#genesys.provider.name}: the sign-in response does not match a sign-in started in this browser`;
      url.hash = '';
      window.history.replaceState(window.history.state, '', url.toString());
    }
    for (const [name, s] of this.#oidc) {
      const u = await s.user().catch(() => null);
      if (u) this.#users.set(name, u);
    }
    if (justSignedIn) this.#prefs?.setItem(sipKey, justSignedIn);
    const wanted = this.#prefs?.getItem(sipKey) ?? null;
    const mandatory = this.#cfg.mandatory?.kind === 'oidc' ? this.#cfg.mandatory.name : null;
    const source = [wanted, mandatory].find((n) => n !== null && this.#users.has(n)) ?? null;
    if (source) error = (await this.#useForSIP(source)) ?? error;
    this.#publish({ error });
  }

  /** #useForSIP makes the named provider's sign-in the SIP account; an error text when it has none. */
  async #useForSIP(name: string): Promise<string | null> {
    const s = this.#oidc.get(name);
    const user = this.#users.get(name);
    if (!s || !user) return null;
    let creds;
    try {
      creds = await s.credentials(user);
    } catch (err) {
      return `${name}: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!creds) {
      const missing = [s.provider.sipUserAttribute, s.provider.sipPasswordAttribute].filter(Boolean).join(', ');
      return `${name}: the sign-in carries no SIP credentials${missing ? ` (${missing})` : ''}`;
    }
    const prev = this.#sip;
    const bearer = creds.password === null;
    const auth: AccountAuth = {
      authorization: () => (bearer ? `Bearer ${this.#users.get(name)?.id_token ?? ''}` : null),
      renew: (liveCalls) => this.#renew(name, liveCalls),
      registered: () => {
        this.#sip?.retry.registered();
        if (this.#snapshot.reloginNeeded) this.#publish({ reloginNeeded: false });
      },
    };
    // The same user and password keep the same account: the phone is not restarted.
    const same = prev?.name === name && prev.account.user === creds.user && prev.account.password === (creds.password ?? '');
    this.#sip = {
      name,
      retry: same && prev ? prev.retry : new SipAuthRetry(s.provider.refreshRetries),
      account: same && prev ? prev.account : { user: creds.user, password: creds.password ?? '', displayName: creds.displayName, auth },
    };
    return null;
  }

  async #renew(name: string, liveCalls: boolean): Promise<string | null> {
    const sip = this.#sip;
    const s = this.#oidc.get(name);
    if (!sip || sip.name !== name || !s) return null;
    const step = sip.retry.afterAuthError(liveCalls);
    if (step === 'refresh') {
      const u = await s.refresh();
      if (u) {
        this.#users.set(name, u);
        const creds = await s.credentials(u).catch(() => null);
        if (creds) return creds.password ?? '';
      }
    }
    // 'relogin' and 'wait-for-calls' both wait for the user: the UI offers
    // signing in again, and its buttons stay disabled while a call is live
    // (leaving the page would end the call).
    this.#publish({ reloginNeeded: true });
    return null;
  }

  #loaded(name: string, u: User): void {
    this.#users.set(name, u);
    this.#publish();
  }

  #unloaded(name: string): void {
    this.#users.delete(name);
    this.#publish();
  }

  signIn(name: string): void {
    if (this.#genesys && this.#genesys.provider.name === name) {
      this.#genesys.signIn();
      return;
    }
    const s = this.#oidc.get(name);
    if (!s) return;
    this.#storages.session?.setItem(pendingKey, name);
    const force = s.provider.forceLoginPromptOnEmptyCache && !this.#users.has(name);
    s.signIn(force).catch((err) => this.#publish({ error: `${name}: ${err instanceof Error ? err.message : String(err)}` }));
  }

  async signOut(): Promise<void> {
    // End the provider session of the sign-in that supplied the SIP account
    // (or the mandatory one): the next sign-in asks for credentials again.
    const mandatory = this.#cfg.mandatory?.kind === 'oidc' ? this.#cfg.mandatory.name : null;
    const endAt = [this.#sip?.name ?? null, mandatory].map((n) => (n ? this.#oidc.get(n) : undefined)).find((s) => s && this.#users.has(s.provider.name));
    let idToken: string | undefined;
    for (const s of this.#oidc.values()) {
      const u = await s.signOut();
      if (s === endAt) idToken = u?.id_token;
    }
    this.#users.clear();
    this.#genesys?.signOut();
    this.#prefs?.removeItem(sipKey);
    this.#sip = null;
    this.#publish({ reloginNeeded: false, error: null });
    // The server's access.oidc session, when there is one (its logoutPath
    // default, beside the page); elsewhere this is a harmless 404.
    await fetch(new URL('auth/logout', window.location.href), { method: 'POST', credentials: 'same-origin', redirect: 'manual' }).catch(() => undefined);
    if (endAt) {
      try {
        // A navigation, not a form post: the page's CSP allows form-action 'self' only.
        await endAt.manager.signoutRedirect({ id_token_hint: idToken });
        return;
      } catch (err) {
        console.warn(`${endAt.provider.name}: the provider offers no sign-out`, err);
      }
    }
    window.location.assign(new URL('./', window.location.href).toString());
  }
}

/** startAuth reads the providers, completes a returning sign-in and loads the cached ones. */
export async function startAuth(config: ClientConfig): Promise<AuthController> {
  const c = new Controller(readAuthConfig(config.raw, window.location.href, config.storageLocation), config);
  await c.start();
  return c;
}
