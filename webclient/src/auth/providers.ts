// Reads authProvidersConfig (and the contact-center integrations that sign
// in) into sign-in providers with the manual's defaults filled in. No DOM:
// the page URL comes in as an argument.
//
// Defaults ("Configure Authentication Providers for User Sign-In"):
// providerType "AAD"; endpointUrl https://graph.microsoft.com/v1.0 for AAD,
// the authority otherwise (Keycloak: <authority>/realms/<realm>/protocol/);
// userInfoUrlRelativePath "/me" for AAD, "openid-connect/userinfo" otherwise;
// scopes "User.Read" added for AAD, "openid" otherwise; redirectUri the page
// URL; authRefreshRetriesForSipError 5; cacheLocation storageConfig.location.

export type ProviderType = 'AAD' | 'Keycloak' | 'OIDC';
export type CacheLocation = 'localStorage' | 'sessionStorage' | 'memoryStorage';

/** An OpenID Connect provider (authorization code flow with PKCE). */
export interface OIDCProvider {
  kind: 'oidc';
  name: string;
  type: ProviderType;
  /** The issuer oidc-client-ts discovers: AAD <authority>/v2.0, Keycloak <authority>/realms/<realm>. */
  issuer: string;
  /** The authority as configured, for tokenRevocationRelativePath. */
  authority: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  /** The user-info document URL: endpointUrl joined with userInfoUrlRelativePath. */
  userInfoUrl: string;
  /** authority + tokenRevocationRelativePath, or null (no revocation). */
  revocationUrl: string | null;
  refreshRetries: number;
  forceLoginPromptOnEmptyCache: boolean;
  cacheLocation: CacheLocation;
  /** Claim names of the SIP user and password; null when not configured. */
  sipUserAttribute: string | null;
  sipPasswordAttribute: string | null;
}

/** A Genesys Cloud integration that signs the agent in (OAuth implicit grant). */
export interface GenesysProvider {
  kind: 'genesys';
  name: string;
  environment: string;
  clientId: string;
  redirectUri: string;
}

export type Provider = OIDCProvider | GenesysProvider;

export interface AuthConfig {
  /** The providers listed in Account Settings, in configured order. */
  providers: OIDCProvider[];
  /** The provider the user must be signed in to at launch, if any. */
  mandatory: Provider | null;
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function str(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}
function list(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str).filter((s) => s !== '') : [];
}

/** joinURL appends a relative path to a base URL with exactly one slash between. */
export function joinURL(base: string, path: string): string {
  if (!path) return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

function providerType(v: unknown): ProviderType {
  const s = str(v);
  return s === 'Keycloak' || s === 'OIDC' ? s : 'AAD';
}

function cacheLocation(v: unknown, storage: CacheLocation): CacheLocation {
  const s = str(v);
  return s === 'localStorage' || s === 'sessionStorage' || s === 'memoryStorage' ? s : storage;
}

function oidcProvider(p: Obj, pageURL: string, storage: CacheLocation): OIDCProvider | null {
  const name = str(p.providerLoginName);
  const authority = str(p.authority).replace(/\/+$/, '');
  const clientId = str(p.clientId);
  if (!name || !authority || !clientId) return null;
  const type = providerType(p.providerType);
  const realm = str(p.realm);
  let issuer = authority;
  let endpoint = str(p.endpointUrl);
  if (type === 'AAD') {
    issuer = /\/v2\.0$/.test(authority) ? authority : `${authority}/v2.0`;
    endpoint ||= 'https://graph.microsoft.com/v1.0';
  } else if (type === 'Keycloak') {
    issuer = `${authority}/realms/${encodeURIComponent(realm)}`;
    endpoint ||= `${issuer}/protocol/`;
  } else {
    endpoint ||= authority;
  }
  const scopes = [type === 'AAD' ? 'User.Read' : 'openid', ...list(p.requestScopes)];
  // The id token needs "openid" whatever the type.
  if (!scopes.includes('openid')) scopes.unshift('openid');
  const retries = typeof p.authRefreshRetriesForSipError === 'number' && Number.isInteger(p.authRefreshRetriesForSipError)
    ? Math.min(100, Math.max(0, p.authRefreshRetriesForSipError)) : 5;
  const revocation = str(p.tokenRevocationRelativePath);
  const sip = obj(p.sipAttributes);
  return {
    kind: 'oidc', name, type, issuer, authority, clientId,
    redirectUri: str(p.redirectUri) || pageURL,
    scopes: [...new Set(scopes)],
    userInfoUrl: joinURL(endpoint, str(p.userInfoUrlRelativePath) || (type === 'AAD' ? '/me' : 'openid-connect/userinfo')),
    revocationUrl: revocation ? joinURL(authority, revocation) : null,
    refreshRetries: retries,
    forceLoginPromptOnEmptyCache: p.forceLoginPromptOnEmptyCache === true,
    cacheLocation: cacheLocation(p.cacheLocation, storage),
    sipUserAttribute: str(sip.SIP_DN_Attribute_name) || null,
    sipPasswordAttribute: str(sip.SIP_Password_Attribute_name) || null,
  };
}

function genesysProvider(i: Obj, pageURL: string): GenesysProvider | null {
  const platform = str(i.contactCenterPlatform).toLowerCase().replace(/[\s-]+/g, '_');
  if (platform !== 'genesys_cloud' || i.enabled !== true) return null;
  const name = str(i.serviceName);
  const environment = str(i.environment);
  const clientId = str(i.clientId);
  if (!name || !environment || !clientId) return null;
  return { kind: 'genesys', name, environment, clientId, redirectUri: str(i.redirectUri) || pageURL };
}

/**
 * readAuthConfig reads the providers from the advancedOptions globals (raw)
 * for a page at pageURL (its query and fragment are dropped for the default
 * redirect URI). Providers missing a name, authority or client ID are left out.
 */
export function readAuthConfig(raw: Readonly<Obj>, pageURL: string, storage: 'localStorage' | 'sessionStorage'): AuthConfig {
  const page = new URL(pageURL);
  const here = `${page.origin}${page.pathname}`;
  const ap = obj(raw.authProvidersConfig);
  const providers: OIDCProvider[] = [];
  for (const p of Array.isArray(ap.providers) ? ap.providers : []) {
    const pr = oidcProvider(obj(p), here, storage);
    if (pr && !providers.some((x) => x.name === pr.name)) providers.push(pr);
  }
  const wanted = str(ap.mandatoryProviderLoginName);
  let mandatory: Provider | null = providers.find((p) => p.name === wanted) ?? null;
  if (wanted && !mandatory) {
    const integrations = obj(raw.contactCenterConfig).integrations;
    for (const i of Array.isArray(integrations) ? integrations : []) {
      const g = genesysProvider(obj(i), here);
      if (g && g.name === wanted) mandatory = g;
    }
  }
  return { providers, mandatory };
}

/** hasProviders tells, without loading the sign-in code, whether any sign-in is configured. */
export function hasProviders(raw: Readonly<Obj>): boolean {
  const ap = obj(raw.authProvidersConfig);
  return (Array.isArray(ap.providers) && ap.providers.length > 0) || str(ap.mandatoryProviderLoginName) !== '';
}
